"""Vietnamese texts for the validation errors of Pydantic, by their stable `type`.

The `msg` of each entry of a 422's `errors` is read by the official filling the form, like the
problem's `title` and `detail`; `type` stays Pydantic's, for programs. Our own validators
already speak Vietnamese (`value_error`, `assertion_error`): their text is kept, without
Pydantic's English prefix.
"""

from typing import Any

UNKNOWN_FIELD = "Trường không được phép gửi."
_MESSAGES: dict[str, str] = {
    "missing": "Trường bắt buộc, chưa có giá trị.",
    "extra_forbidden": UNKNOWN_FIELD,
    "string_type": "Phải là chuỗi ký tự.",
    "string_too_short": "Cần ít nhất {min_length} ký tự.",
    "string_too_long": "Tối đa {max_length} ký tự.",
    "string_pattern_mismatch": "Không đúng định dạng (mẫu {pattern}).",
    "string_unicode": "Phải là chuỗi Unicode hợp lệ.",
    "int_type": "Phải là số nguyên.",
    "int_parsing": "Phải là số nguyên.",
    "int_from_float": "Phải là số nguyên, không có phần thập phân.",
    "float_type": "Phải là số.",
    "float_parsing": "Phải là số.",
    "finite_number": "Phải là số hữu hạn.",
    "bool_type": "Phải là true hoặc false.",
    "bool_parsing": "Phải là true hoặc false.",
    "greater_than": "Phải lớn hơn {gt}.",
    "greater_than_equal": "Phải lớn hơn hoặc bằng {ge}.",
    "less_than": "Phải nhỏ hơn {lt}.",
    "less_than_equal": "Phải nhỏ hơn hoặc bằng {le}.",
    "multiple_of": "Phải là bội số của {multiple_of}.",
    "literal_error": "Phải là một trong: {expected}.",
    "enum": "Phải là một trong: {expected}.",
    "list_type": "Phải là một danh sách.",
    "tuple_type": "Phải là một danh sách.",
    "set_type": "Phải là một danh sách.",
    "too_short": "Cần ít nhất {min_length} phần tử.",
    "too_long": "Tối đa {max_length} phần tử.",
    "dict_type": "Phải là một đối tượng JSON.",
    "model_type": "Phải là một đối tượng JSON.",
    "model_attributes_type": "Phải là một đối tượng JSON.",
    "date_type": "Phải là ngày dạng YYYY-MM-DD.",
    "date_parsing": "Phải là ngày dạng YYYY-MM-DD.",
    "date_from_datetime_parsing": "Phải là ngày dạng YYYY-MM-DD.",
    "date_from_datetime_inexact": "Phải là một ngày, không kèm giờ.",
    "date_past": "Phải là một ngày trong quá khứ.",
    "date_future": "Phải là một ngày trong tương lai.",
    "datetime_type": "Phải là thời điểm dạng ISO 8601.",
    "datetime_parsing": "Phải là thời điểm dạng ISO 8601.",
    "datetime_from_date_parsing": "Phải là thời điểm dạng ISO 8601.",
    "datetime_object_invalid": "Thời điểm không hợp lệ.",
    "timezone_aware": "Thời điểm phải kèm múi giờ (ví dụ +07:00).",
    "timezone_naive": "Thời điểm không được kèm múi giờ.",
    "time_parsing": "Phải là giờ dạng HH:MM.",
    "json_invalid": "Nội dung không phải JSON hợp lệ.",
    "json_type": "Nội dung không phải JSON hợp lệ.",
    "url_parsing": "Phải là một địa chỉ URL hợp lệ.",
    "url_type": "Phải là một địa chỉ URL hợp lệ.",
    "url_scheme": "Địa chỉ URL phải bắt đầu bằng {expected_schemes}.",
    "url_too_long": "Địa chỉ URL tối đa {max_length} ký tự.",
    "uuid_parsing": "Phải là một UUID hợp lệ.",
    "uuid_type": "Phải là một UUID hợp lệ.",
    "bytes_type": "Phải là dữ liệu nhị phân.",
    "none_required": "Phải để trống (null).",
    "union_tag_invalid": "Giá trị phân loại không hợp lệ.",
    "union_tag_not_found": "Thiếu trường phân loại.",
    "decimal_parsing": "Phải là số.",
    "decimal_type": "Phải là số.",
}
_OWN_TEXT_PREFIXES = ("Value error, ", "Assertion failed, ")
FALLBACK = "Giá trị không hợp lệ."


def vietnamese_message(error: dict[str, Any]) -> str:
    """The Vietnamese text for one Pydantic error (`type`, `msg`, `ctx`)."""
    kind = error.get("type", "")
    if kind in ("value_error", "assertion_error"):
        text = str(error.get("msg", ""))
        for prefix in _OWN_TEXT_PREFIXES:
            text = text.removeprefix(prefix)
        return text or FALLBACK
    template = _MESSAGES.get(kind)
    if template is None:
        return FALLBACK
    context = {
        key: value.replace(" or ", " hoặc ") if isinstance(value, str) else value
        for key, value in (error.get("ctx") or {}).items()
    }
    try:
        return template.format(**context)
    except (KeyError, IndexError, ValueError):
        return template.split(" {")[0].rstrip(":") + "."
