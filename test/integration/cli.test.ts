import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FAST_PROJECT } from '../support/fixtures.js';
import { removeDir, runTandem, startRuntimeProcess, tempDir } from '../support/runtime-process.js';

const scratch = tempDir();
afterAll(() => removeDir(scratch));

describe('tandem serve command line', () => {
  it('documents every flag in --help', () => {
    const { code, stdout } = runTandem(['serve', '--help']);
    expect(code).toBe(0);
    for (const flag of ['--project', '--data', '--port', '--host', '--node', '--log-level', '--help']) expect(stdout).toContain(flag);
  });

  it.each([
    [['serve', '--colour', 'red'], /Unknown option '--colour'/],
    [['serve', '--port', 'eighty'], /--port must be a whole number from 0 to 65535, got "eighty"/],
    [['serve', '--port', '70000'], /--port must be .* got "70000"/],
    [['serve', '--node', 'pc a'], /--node must be .* got "pc a"/],
    [['serve', '--log-level', 'loud'], /--log-level must be one of debug, info, warn, error, got "loud"/],
    [['launch'], /unknown command "launch"/],
  ])('refuses %j with one line that names the problem', (args, message) => {
    const { code, stderr } = runTandem(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('names a project file it cannot read', () => {
    const missing = join(scratch, 'missing.json');
    const { code, stderr } = runTandem(['serve', '--data', scratch, '--project', missing]);
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot read project file ${missing}: no such file`);
  });

  it('names what is wrong inside an invalid project file', () => {
    const file = join(scratch, 'bad-project.json');
    const project = JSON.parse(readFileSync(FAST_PROJECT, 'utf8'));
    project.tags[1].driver = 'Plc9';
    project.alarms[0].priority = 'whenever';
    writeFileSync(file, JSON.stringify(project));
    const { code, stderr } = runTandem(['serve', '--data', scratch, '--project', file]);
    expect(code).toBe(1);
    expect(stderr).toContain(`project file ${file} is invalid`);
    expect(stderr).toContain('alarms[0].priority');
  });

  it('refuses a damaged database and leaves it untouched', () => {
    const dataDir = join(scratch, 'damaged');
    mkdirSync(join(dataDir, 'projects'), { recursive: true });
    const file = join(dataDir, 'projects', 'fast.sqlite');
    const garbage = Buffer.from('this is not a database '.repeat(200));
    writeFileSync(file, garbage);
    const { code, stderr } = runTandem(['serve', '--data', dataDir, '--project', FAST_PROJECT, '--port', '0']);
    expect(code).toBe(1);
    expect(stderr).toContain(file);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(file).equals(garbage)).toBe(true);
  });

  it('refuses a broken TLS certificate in one line saying what to do, and leaves it as it was', () => {
    const dataDir = join(scratch, 'broken-certificate');
    mkdirSync(join(dataDir, 'secrets'), { recursive: true });
    writeFileSync(join(dataDir, 'tls-certificate.pem'), 'not a certificate');
    writeFileSync(join(dataDir, 'secrets', 'tls-key.pem'), 'not a key');
    const { code, stderr } = runTandem(['serve', '--data', dataDir, '--project', FAST_PROJECT, '--port', '0']);
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/^tandem: the TLS certificate .*tls-certificate\.pem or its key .* cannot be used .*delete both to make a new certificate \(paired nodes must then be paired again\)$/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(join(dataDir, 'tls-certificate.pem'), 'utf8')).toBe('not a certificate');
  });

  it('refuses a data folder another runtime is using', async () => {
    const running = await startRuntimeProcess({ args: ['--project', FAST_PROJECT] });
    try {
      const { code, stderr } = runTandem(['serve', '--data', running.dataDir, '--project', FAST_PROJECT, '--port', '0']);
      expect(code).toBe(1);
      expect(stderr).toMatch(/in use by another Tandem/);
    } finally {
      await running.stop();
      removeDir(running.dataDir);
    }
  });

  it('says when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, stderr } = runTandem(['serve', '--data', join(scratch, 'port'), '--project', FAST_PROJECT, '--port', String(port)]);
      expect(code).toBe(1);
      expect(stderr).toContain(`cannot listen on 127.0.0.1:${port}: the port is in use`);
    } finally {
      blocker.close();
    }
  });
});
