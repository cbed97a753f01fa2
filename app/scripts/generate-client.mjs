// Generates the TypeScript client (src/generated) from the program's IDL (../idl) with Codama.
// `--check`: renders into a temporary folder and fails when the committed client differs, so a
// program change that was not followed by `npm run generate` is caught by the tests.
import {
  addPdasVisitor,
  constantPdaSeedNodeFromString,
  createFromRoot,
  pdaValueNode,
  setInstructionAccountDefaultValuesVisitor,
} from 'codama';
import { rootNodeFromAnchor } from '@codama/nodes-from-anchor';
import { renderVisitor } from '@codama/renderers-js';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const app = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const idlPath = path.resolve(app, '../idl/device_staking.json');
const generatedFolder = 'src/generated';
const check = process.argv.includes('--check');

const idl = JSON.parse(await readFile(idlPath, 'utf8'));
const codama = createFromRoot(rootNodeFromAnchor(idl));
// The config PDA `["config"]`: `initialize` creates it at its canonical bump without declaring
// seeds (no address check to pay for), so the IDL carries none; the client gets
// `findConfigPda` and `initialize`'s default config address from here.
codama.update(addPdasVisitor({ deviceStaking: [{ name: 'config', seeds: [constantPdaSeedNodeFromString('utf8', 'config')] }] }));
codama.update(setInstructionAccountDefaultValuesVisitor([{ account: 'config', instruction: 'initialize', defaultValue: pdaValueNode('config') }]));
const target = check ? await mkdtemp(path.join(tmpdir(), 'device-staking-client-')) : app;
await codama.accept(
  renderVisitor(target, { generatedFolder, syncPackageJson: false, kitImportStrategy: 'rootOnly', deleteFolderBeforeRendering: true }),
);

// The renderer's client plugin (deviceStakingProgram) does not type-check with @solana/kit's
// extendClient (TS2322 on its return type); the app does not use the plugin, and every other
// generated file is type-checked.
const pluginFile = path.join(target, generatedFolder, 'programs/deviceStaking.ts');
const plugin = await readFile(pluginFile, 'utf8');
await writeFile(pluginFile, `// @ts-nocheck: the client plugin below fails TS2322 with @solana/kit's extendClient\n${plugin}`);

if (!check) {
  console.log(`wrote ${path.join(app, generatedFolder)} from ${path.relative(app, idlPath)}`);
  process.exit(0);
}

/** Every file under `dir`, as paths relative to it, sorted. */
async function files(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

const fresh = path.join(target, generatedFolder);
const committed = path.join(app, generatedFolder);
const [freshFiles, committedFiles] = await Promise.all([files(fresh), files(committed).catch(() => [])]);
const stale = new Set([...freshFiles, ...committedFiles].filter((f) => !freshFiles.includes(f) || !committedFiles.includes(f)));
for (const f of freshFiles.filter((f) => committedFiles.includes(f))) {
  const [a, b] = await Promise.all([readFile(path.join(fresh, f), 'utf8'), readFile(path.join(committed, f), 'utf8')]);
  if (a !== b) stale.add(f);
}
await rm(target, { recursive: true, force: true });
if (stale.size > 0) {
  console.error(`the generated client is stale (${[...stale].join(', ')}): run \`npm run generate\` in app/ and commit src/generated`);
  process.exit(1);
}
console.log(`${generatedFolder} is current with ${path.relative(app, idlPath)}`);
