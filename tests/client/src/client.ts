// A client written the obvious way against the generated types (build/api.ts): it must compile
// under `tsc --strict` with no cast and no `any`, and run against a live server.
// Usage: node build/js/src/client.js <api base, e.g. http://127.0.0.1:8000> <username> <password>
// Prints one JSON line with what it saw; exits non-zero on anything unexpected.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "../build/api.js";

type ProblemCode = components["schemas"]["ProblemCode"];
type DossierRead = components["schemas"]["DossierRead"];
type EventRead = components["schemas"]["EventRead"];

const [baseUrl, username, password] = process.argv.slice(2);
if (baseUrl === undefined || username === undefined || password === undefined) {
  throw new Error("usage: client.js <base url> <username> <password>");
}

const client = createClient<paths>({ baseUrl });
const seen: Record<string, unknown> = {};

function fail(step: string, detail: unknown): never {
  throw new Error(`${step}: ${JSON.stringify(detail)}`);
}

// 1. Log in (OAuth2 password flow: a form, not JSON).
const login = await client.POST("/api/v1/auth/token", {
  body: { username, password },
  bodySerializer(body) {
    const form = new URLSearchParams();
    form.set("username", body.username);
    form.set("password", body.password);
    return form;
  },
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
});
if (login.error !== undefined) {
  fail("login", login.error.code);
}
const token: string = login.data.access_token;
const bearer: Middleware = {
  onRequest({ request }) {
    request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
};
client.use(bearer);
seen.login = { tokenType: login.data.token_type, expiresIn: login.data.expires_in };

// 2. Who am I, and search the units by name without diacritics.
const me = await client.GET("/api/v1/auth/me");
if (me.error !== undefined) {
  fail("me", me.error.code);
}
const units = await client.GET("/api/v1/units", { params: { query: { q: "so noi vu", limit: 5 } } });
if (units.error !== undefined) {
  fail("units", units.error.code);
}
seen.units = { total: units.data.total, names: units.data.items.map((unit) => unit.name) };
seen.me = { role: me.data.role, unitId: me.data.unit_id };

// 3. Create a dossier (thematic: no round), safe to retry with its Idempotency-Key.
const idempotencyKey = `client-${Date.now()}`;
const created = await client.POST("/api/v1/dossiers", {
  body: { title: "Hồ sơ khen thưởng chuyên đề (client TypeScript)", kind: "thematic" },
  params: { header: { "Idempotency-Key": idempotencyKey } },
});
if (created.error !== undefined) {
  fail("create", created.error);
}
const dossier: DossierRead = created.data;
seen.created = {
  status: created.response.status,
  location: created.response.headers.get("Location"),
  code: dossier.code,
  dossierStatus: dossier.status,
};

// 4. Read it back; its ETag is what an edit sends in If-Match.
const read = await client.GET("/api/v1/dossiers/{dossier_id}", {
  params: { path: { dossier_id: dossier.id } },
});
if (read.error !== undefined) {
  fail("read", read.error.code);
}
const etag = read.response.headers.get("ETag");
if (etag === null) {
  fail("read", "no ETag");
}
const notModified = await client.GET("/api/v1/dossiers/{dossier_id}", {
  params: { path: { dossier_id: dossier.id }, header: { "If-None-Match": etag } },
});
seen.read = { title: read.data.title, etag, revalidated: notModified.response.status };

// 5. Edit it with If-Match: the ETag read.
const patched = await client.PATCH("/api/v1/dossiers/{dossier_id}", {
  params: { path: { dossier_id: dossier.id }, header: { "If-Match": etag } },
  body: { title: "Hồ sơ đã sửa từ client TypeScript" },
});
if (patched.error !== undefined) {
  fail("patch", patched.error.code);
}
seen.patched = {
  title: patched.data.title,
  etagChanged: patched.response.headers.get("ETag") !== etag,
};

// 6. Edit again with the ETag now stale: 412, told apart by the problem's typed `code`.
const stale = await client.PATCH("/api/v1/dossiers/{dossier_id}", {
  params: { path: { dossier_id: dossier.id }, header: { "If-Match": etag } },
  body: { title: "Sửa đè (không được phép)" },
});
if (stale.error === undefined) {
  fail("stale patch", "accepted");
}
const code: ProblemCode = stale.error.code;
let advice: string;
switch (code) {
  case "version_mismatch":
    advice = "reload and apply the edit again";
    break;
  case "if_match_required":
    advice = "send the ETag in If-Match";
    break;
  default:
    advice = stale.error.detail ?? stale.error.title;
}
seen.stale = { status: stale.response.status, code, advice, title: stale.error.title };

// 7. Upload a paper to the dossier (multipart: the file as a Blob).
const pdf = new Blob(["%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"], {
  type: "application/pdf",
});
const uploaded = await client.POST("/api/v1/dossiers/{dossier_id}/attachments", {
  params: { path: { dossier_id: dossier.id } },
  body: { file: pdf, document_type: "bao_cao_thanh_tich" },
  bodySerializer(body) {
    const form = new FormData();
    form.set("file", body.file, "bao-cao-thanh-tich.pdf");
    form.set("document_type", body.document_type);
    if (body.nomination_id !== undefined) {
      form.set("nomination_id", String(body.nomination_id));
    }
    return form;
  },
});
if (uploaded.error !== undefined) {
  fail("upload", uploaded.error);
}
seen.uploaded = {
  status: uploaded.response.status,
  documentType: uploaded.data.document_type,
  contentType: uploaded.data.content_type,
  size: uploaded.data.size,
};

// 8. Follow the event feed: an event's `type` narrows its `data` to the shape declared for it.
const feed = await client.GET("/api/v1/events", { params: { query: { limit: 200 } } });
if (feed.error !== undefined) {
  fail("events", feed.error.code);
}
if ("fields" in feed.data) {
  fail("events", "a page cut by fields= without asking for it");
}
const events: EventRead[] = feed.data.items;
for (const event of events) {
  if (event.type === "dossier.created" && event.entity_id === dossier.id) {
    seen.event = { type: event.type, code: event.data.code, status: event.data.status };
  }
}

console.log(JSON.stringify(seen));
