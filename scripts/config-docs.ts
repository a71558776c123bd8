// Writes docs/config.md from the config schema (npm run docs:config).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderConfigDocs } from "../config/docs";

writeFileSync(join(__dirname, "..", "docs", "config.md"), renderConfigDocs());
