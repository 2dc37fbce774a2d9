/**
 * `npm run build:docs`: writes `docs/abi.md` from the guide's sources (`docs/guide/*.md`),
 * so the guide and the document have one source. `scripts/build-docs.test.ts` fails when
 * the file is not current.
 */

import { writeFileSync } from "node:fs";
import { readGuidePages, renderAbiDoc } from "../lib/guide/pages";

const target = new URL("../docs/abi.md", import.meta.url);
writeFileSync(target, renderAbiDoc(readGuidePages()));
console.log(`wrote ${target.pathname}`);
