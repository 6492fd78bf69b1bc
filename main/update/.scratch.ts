import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractArchive } from './extract';
import { rawTarGz } from './test-archives';
(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'x-'));
  const stage = join(dir, 's');
  await mkdir(stage);
  await writeFile(
    join(dir, 'a.tgz'),
    rawTarGz([
      { name: 'templates/', type: '5' },
      { name: 'templates/a.yaml', data: 'id: a\n', mode: 0o4777 },
      { name: 'bin/llmrecon', data: '#!/bin/sh\necho 1\n', mode: 0o775 },
      { name: 'templates/b.yaml', type: '2', linkname: 'a.yaml' },
      { name: 'copy.yaml', type: '1', linkname: 'templates/a.yaml' },
    ]),
  );
  console.log(await extractArchive(join(dir, 'a.tgz'), stage, 'tar.gz'));
})().catch((e) => console.error('ERR', e));
