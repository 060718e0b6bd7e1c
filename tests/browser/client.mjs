// A real Chromium, as the provincial SPA would use the API from its own origin.
// Usage: node client.mjs '<json config>'; prints one JSON object with what the pages saw.
// The assertions are in tests/transport/test_browser.py; this only drives the browser.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const config = JSON.parse(process.argv[2]);

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// Runs inside the page: every call a SPA makes on its first day, reading what CORS exposes.
async function spaSession({ api, username, password, unitCode }) {
  const headersOf = (response, names) =>
    Object.fromEntries(names.map((name) => [name, response.headers.get(name)]));
  const seen = {};

  const login = await fetch(`${api}/auth/token`, {
    method: "POST",
    body: new URLSearchParams({ username, password }),
  });
  const token = (await login.json()).access_token;
  seen.login = { status: login.status, gotToken: typeof token === "string" };
  const bearer = { Authorization: `Bearer ${token}` };

  const me = await fetch(`${api}/auth/me`, {
    headers: { ...bearer, "X-Request-ID": "spa-request-1" },
  });
  seen.me = {
    status: me.status,
    body: await me.json(),
    headers: headersOf(me, ["x-request-id", "cache-control"]),
  };

  const body = JSON.stringify({ code: unitCode, name: "Đơn vị tạo từ trình duyệt" });
  const createHeaders = {
    ...bearer,
    "Content-Type": "application/json",
    "Idempotency-Key": `spa-${unitCode}`,
  };
  const created = await fetch(`${api}/units`, { method: "POST", headers: createHeaders, body });
  const createdBody = await created.json();
  seen.create = {
    status: created.status,
    body: createdBody,
    headers: headersOf(created, ["etag", "location", "x-request-id"]),
  };
  const replayed = await fetch(`${api}/units`, { method: "POST", headers: createHeaders, body });
  seen.replay = {
    status: replayed.status,
    id: (await replayed.json()).id,
    headers: headersOf(replayed, ["idempotent-replayed", "location"]),
  };

  const unitUrl = `${api}/units/${createdBody.id}`;
  const one = await fetch(unitUrl, { headers: bearer });
  const etag = one.headers.get("etag");
  seen.read = { status: one.status, etag };

  const unchanged = await fetch(unitUrl, {
    headers: { ...bearer, "If-None-Match": etag },
    cache: "no-store",
  });
  seen.conditional = { status: unchanged.status, etag: unchanged.headers.get("etag") };

  const patchHeaders = { ...bearer, "Content-Type": "application/json", "If-Match": etag };
  const patched = await fetch(unitUrl, {
    method: "PATCH",
    headers: patchHeaders,
    body: JSON.stringify({ name: "Đơn vị đã sửa từ trình duyệt" }),
  });
  seen.patch = {
    status: patched.status,
    name: (await patched.json()).name,
    headers: headersOf(patched, ["etag"]),
  };
  const stale = await fetch(unitUrl, {
    method: "PATCH",
    headers: patchHeaders,
    body: JSON.stringify({ name: "Sửa lần hai bằng ETag cũ" }),
  });
  seen.stalePatch = {
    status: stale.status,
    contentType: stale.headers.get("content-type"),
    code: (await stale.json()).code,
  };

  const anonymous = await fetch(`${api}/units`);
  seen.anonymous = { status: anonymous.status, code: (await anonymous.json()).code };

  const exported = await fetch(`${api}/dossiers/export?format=csv`, { headers: bearer });
  await exported.arrayBuffer();
  seen.download = {
    status: exported.status,
    headers: headersOf(exported, ["content-disposition"]),
  };
  return seen;
}

// Runs inside a page of an origin the API does not allow: the browser must refuse to let it
// read anything.
async function refusedSession({ api, username, password }) {
  const attempt = async (call) => {
    try {
      const response = await call();
      return { readable: true, status: response.status };
    } catch (error) {
      return { readable: false, error: String(error) };
    }
  };
  return {
    login: await attempt(() =>
      fetch(`${api}/auth/token`, {
        method: "POST",
        body: new URLSearchParams({ username, password }),
      }),
    ),
    preflighted: await attempt(() =>
      fetch(`${api}/units`, { headers: { Authorization: "Bearer x" } }),
    ),
  };
}

async function main() {
  // A fresh profile each run: nothing cached, no earlier preflight remembered.
  const profile = mkdtempSync(join(tmpdir(), "tdkt-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: config.chromium,
    headless: true,
    args: FLAGS,
  });
  const result = {};
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleErrors = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });

    await page.goto(config.allowedPage);
    result.allowedOrigin = await page.evaluate(() => location.origin);
    result.spa = await page.evaluate(spaSession, config.session);

    await page.goto(config.refusedPage);
    result.refusedOrigin = await page.evaluate(() => location.origin);
    result.refused = await page.evaluate(refusedSession, config.session);
    result.refusedConsole = consoleErrors.filter((text) => text.includes("CORS")).length;

    if (config.docs) result.docs = await swaggerUi(context, config.docs);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(result));
}

// Swagger UI with every request to another host refused, as on the province's network.
async function swaggerUi(context, { url, username, password }) {
  const origin = new URL(url).origin;
  const elsewhere = [];
  await context.route("**/*", (route) => {
    const target = route.request().url();
    if (new URL(target).origin === origin) return route.continue();
    elsewhere.push(target);
    return route.abort();
  });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector(".opblock", { timeout: 30000 });
  const operations = await page.locator(".opblock").count();

  // "Authorize" → the password flow: username and password, then a token from tokenUrl.
  await page.click("button.authorize");
  const dialog = page.locator(".dialog-ux");
  await dialog.locator("#oauth_username").fill(username);
  await dialog.locator("#oauth_password").fill(password);
  const tokenAnswer = page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/token"));
  await dialog.getByRole("button", { name: "Apply given OAuth2 credentials" }).click();
  const login = await tokenAnswer;
  await dialog.locator("button.close-modal").click();

  // Try out `GET /auth/me`: Swagger UI sends the token it got.
  const me = page.locator("#operations-auth-read_me");
  await me.locator(".opblock-summary").click();
  await me.locator("button.try-out__btn").click();
  const meAnswer = page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/me"));
  await me.locator("button.execute").click();
  const answer = await meAnswer;
  return {
    operations,
    elsewhere,
    loginStatus: login.status(),
    meStatus: answer.status(),
    meAuthorization: (await answer.request().allHeaders()).authorization?.split(" ")[0] ?? null,
  };
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
