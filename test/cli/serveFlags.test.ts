import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { needsServeFlags, SERVE_V8_FLAGS } from '../../platform/cli/serveFlags.js';
import { send } from '../support/httpRequest.js';
import { startServe } from '../support/meshProcess.js';

describe('mesh serve runs with its V8 flags', () => {
  it.each([
    [['serve'], [], {}, true],
    [['serve', '--port', '0'], ['--enable-source-maps'], { NODE_OPTIONS: '--max-old-space-size=4096' }, true],
    [['validate'], [], {}, false],
    [[], [], {}, false],
    [['serve'], ['--max-semi-space-size=32'], {}, false],
    [['serve'], [], { NODE_OPTIONS: '--enable-source-maps --max-semi-space-size=8' }, false],
    [['serve'], [], { MESH_SERVE_RELAUNCHED: '1' }, false],
  ])('%j with node flags %j and %j: relaunch %s', (args, execArgv, env, expected) => {
    expect(needsServeFlags(args, execArgv, env)).toBe(expected);
  });

  // Linux shows a process's command line in /proc; elsewhere the relaunch is seen through the tests of mesh serve.
  it.skipIf(process.platform !== 'linux')('relaunches itself with them, and the server stops when the launcher is killed outright', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mesh-flags-'));
    const serve = await startServe(['--data-dir', join(dir, 'catalog')]);
    try {
      const children = (await readFile(`/proc/${serve.child.pid}/task/${serve.child.pid}/children`, 'utf8')).trim().split(/\s+/);
      expect(children).toHaveLength(1);
      const commandLine = (await readFile(`/proc/${children[0]}/cmdline`, 'utf8')).split('\0');
      expect(commandLine).toEqual(expect.arrayContaining([...SERVE_V8_FLAGS, 'serve']));
      expect((await send(`${serve.url}/healthz`)).status).toBe(200);
      // SIGKILL cannot be passed on: the server sees its launcher's channel close and stops by itself.
      serve.child.kill('SIGKILL');
      await serve.exited;
      for (;;) {
        const gone = await send(`${serve.url}/healthz`).then(
          () => false,
          () => true,
        );
        if (gone) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      serve.child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
