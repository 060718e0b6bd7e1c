"""The directory: units (cơ quan, đơn vị, địa phương), clusters (cụm/khối thi đua) and the
council (Hội đồng TĐKT tỉnh)."""

from app.services.directory.clusters import (
    cluster_of_unit,
    create_cluster,
    get_cluster,
    list_clusters,
    update_cluster,
)
from app.services.directory.councils import (
    add_member,
    create_council,
    get_council,
    get_member,
    list_councils,
    remove_member,
    update_council,
    update_member,
)
from app.services.directory.groups import groups_of_unit
from app.services.directory.units import create_unit, get_unit, list_units, update_unit

__all__ = [
    "add_member",
    "cluster_of_unit",
    "create_cluster",
    "create_council",
    "create_unit",
    "get_cluster",
    "get_council",
    "get_member",
    "get_unit",
    "groups_of_unit",
    "list_clusters",
    "list_councils",
    "list_units",
    "remove_member",
    "update_cluster",
    "update_council",
    "update_member",
    "update_unit",
]
