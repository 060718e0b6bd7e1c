// Optional means optional: what the server fills in when a request leaves it out may be left
// out of the typed request body (these compile only if the generated types agree), and what
// an answer always carries is not optional there.
import type { components } from "../build/api.js";

type Schemas = components["schemas"];

export const nomination: Schemas["NominationCreate"] = {
  nominee_kind: "collective",
  nominee_name: "Phòng Tổ chức",
  award_type_code: "giay_khen_chu_tich",
};
export const unit: Schemas["UnitCreate"] = { code: "DV1", name: "Đơn vị" };
export const dossier: Schemas["DossierCreate"] = { title: "Hồ sơ", round_id: 1 };
export const webhook: Schemas["WebhookCreate"] = {
  url: "https://example.org/hook",
  event_types: ["dossier.submitted"],
};

export function alwaysSent(read: Schemas["DossierRead"]): string {
  const kind: Schemas["DossierRead"]["kind"] = read.kind;
  return `${read.code} ${kind} ${read.nominations.length}`;
}
