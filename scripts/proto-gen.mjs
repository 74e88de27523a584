#!/usr/bin/env node
// Regenerates libs/proto/src/generated from proto/*.proto with @grpc/proto-loader's generator.
// `--check` regenerates into a temporary folder and fails when the committed code has drifted,
// so CI catches a .proto edited without regenerating.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const protoDir = join(root, 'proto');
const target = join(root, 'libs/proto/src/generated');
const generator = join(root, 'libs/proto/node_modules/.bin/proto-loader-gen-types');

// Must match the loader options in libs/proto/src/load.ts.
const options = ['--longs=Number', '--enums=String', '--defaults', '--oneofs', '--includeComments', '--grpcLib=@grpc/grpc-js'];

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

// The generator writes extensionless relative imports (NodeNext ESM wants explicit ones) and the
// absolute path of each .proto (which would make the output depend on where the repo lives).
function normalise(dir) {
  for (const file of walk(dir)) {
    const text = readFileSync(file, 'utf8')
      .replace(/(from\s+['"])(\.{1,2}\/[^'"]+?)(['"])/g, (_, a, spec, b) => `${a}${spec}.ts${b}`)
      .replaceAll(`${protoDir}/`, 'proto/');
    writeFileSync(file, text);
  }
}

function generate(outDir) {
  const protos = readdirSync(protoDir).filter((f) => f.endsWith('.proto'));
  execFileSync(generator, [...options, '-I', protoDir, '-O', outDir, ...protos], { cwd: protoDir, stdio: 'inherit' });
  // A proto without a service (the Kafka schema) needs only its message types, not a gRPC package type.
  for (const proto of protos) {
    if (!/^\s*service\s/m.test(readFileSync(join(protoDir, proto), 'utf8'))) rmSync(join(outDir, proto.replace(/\.proto$/, '.ts')));
  }
  normalise(outDir);
}

function snapshot(dir) {
  return new Map(walk(dir).map((f) => [relative(dir, f), readFileSync(f, 'utf8')]));
}

if (process.argv.includes('--check')) {
  const tmp = mkdtempSync(join(tmpdir(), 'proto-gen-'));
  try {
    generate(tmp);
    const fresh = snapshot(tmp);
    const committed = snapshot(target);
    const drifted = [...new Set([...fresh.keys(), ...committed.keys()])].filter((f) => fresh.get(f) !== committed.get(f));
    if (drifted.length > 0) {
      console.error(`generated protobuf code is stale; run \`pnpm proto:gen\`:\n  ${drifted.join('\n  ')}`);
      process.exit(1);
    }
    console.log('generated protobuf code is up to date');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
} else {
  const tmp = mkdtempSync(join(tmpdir(), 'proto-gen-'));
  generate(tmp);
  rmSync(target, { recursive: true, force: true });
  cpSync(tmp, target, { recursive: true });
  rmSync(tmp, { recursive: true, force: true });
  console.log(`generated ${walk(target).length} files in ${relative(root, target)}`);
}
