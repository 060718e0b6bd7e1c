// The TypeScript types of the API, generated from openapi/openapi.json with openapi-typescript
// into build/api.ts (not committed). A file in a multipart body (`format: binary`) becomes a
// Blob, as openapi-typescript's documentation shows for uploads.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));
const source = process.argv[2] ?? join(here, "..", "..", "openapi", "openapi.json");
const document = JSON.parse(readFileSync(source, "utf8"));
const BLOB = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier("Blob"));

const ast = await openapiTS(document, {
  transform(schemaObject) {
    if (schemaObject.format === "binary") {
      return BLOB;
    }
    return undefined;
  },
});
mkdirSync(join(here, "build"), { recursive: true });
writeFileSync(join(here, "build", "api.ts"), astToString(ast));
