import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project folder (the one holding package.json), found from this file's place. The same code
 * runs from `src/` (tsx, tests) and bundled into `dist/` (`npm start`), so files the app reads at
 * run time — public assets, region data, htmx — are resolved from here, never from `import.meta.url`
 * of the module that reads them.
 */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

export const PROJECT_ROOT = findRoot();

/** A path inside the project folder. */
export const projectPath = (...parts: string[]) => path.join(PROJECT_ROOT, ...parts);
