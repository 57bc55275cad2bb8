// The package as users get it: the built dist/ (ESM) and dist-cjs/ (CommonJS) through its exports,
// their types in a consumer project, the published files, and a browser/worker bundle.
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;
const sdkDir = new URL('../', import.meta.url).pathname;

async function node(script: string, type: 'module' | 'commonjs') {
  const { stdout } = await exec(process.execPath, [`--input-type=${type}`, '-e', script], { cwd: root });
  return JSON.parse(stdout);
}

describe('@quickcart/sdk as installed', () => {
  it('imports as ESM and requires as CommonJS, with the same exports from two builds', async () => {
    const esm = await node(
      `import * as sdk from '@quickcart/sdk'; import { createRequire } from 'node:module';
       const cjsPath = createRequire(import.meta.url).resolve('@quickcart/sdk');
       console.log(JSON.stringify({ keys: Object.keys(sdk).sort(), path: import.meta.resolve('@quickcart/sdk'), cjsPath }));`,
      'module',
    );
    const cjs = await node(
      `const sdk = require('@quickcart/sdk'); console.log(JSON.stringify({ keys: Object.keys(sdk).filter((k) => k !== '__esModule').sort() }));`,
      'commonjs',
    );
    expect(esm.path).toMatch(/packages\/sdk\/dist\/index\.js$/);
    expect(esm.cjsPath).toMatch(/packages\/sdk\/dist-cjs\/index\.js$/);
    expect(cjs.keys).toEqual(esm.keys);
    expect(esm.keys).toEqual(
      expect.arrayContaining(['QuickCart', 'ApiError', 'PartnerPaymentType', 'Webhooks']),
    );
  });

  it('instanceof works across the ESM and CommonJS copies, both ways', async () => {
    const result = await node(
      `import * as esm from '@quickcart/sdk'; import { createRequire } from 'node:module';
       const cjs = createRequire(import.meta.url)('@quickcart/sdk');
       const init = { status: 404, code: 'NOT_FOUND', requestId: 'r', details: {}, body: null };
       let usage; try { new cjs.QuickCart({ baseUrl: 'x', apiKey: 'k' }); } catch (e) { usage = e; }
       const fromCjs = new cjs.NotFoundError('x', init);
       const fromEsm = new esm.RateLimitError('x', { ...init, status: 429 });
       console.log(JSON.stringify({
         distinct: cjs.ApiError !== esm.ApiError,
         cjsInEsm: [fromCjs instanceof esm.NotFoundError, fromCjs instanceof esm.ApiError, fromCjs instanceof esm.QuickCartError, fromCjs instanceof esm.ValidationError],
         esmInCjs: [fromEsm instanceof cjs.RateLimitError, fromEsm instanceof cjs.ApiError, fromEsm instanceof cjs.NotFoundError],
         thrown: [usage instanceof esm.UsageError, usage instanceof esm.ApiError, usage.name],
       }));`,
      'module',
    );
    expect(result).toEqual({
      distinct: true,
      cjsInEsm: [true, true, true, false],
      esmInCjs: [true, true, false],
      thrown: [true, false, 'UsageError'],
    });
  });

  it('type-checks a consumer project against the built types: the seeds, require(), and misuse refused', async () => {
    const tsc = `${root}node_modules/typescript/bin/tsc`;
    const result = await exec(process.execPath, [tsc, '-p', `${sdkDir}test/consumer/tsconfig.json`], {
      cwd: root,
    }).then(
      () => 'ok',
      (error: { stdout: string }) => error.stdout,
    );
    expect(result).toBe('ok');
  });

  it('publishes the two builds, their types and the README, nothing else', async () => {
    const { stdout } = await exec('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: sdkDir,
    });
    const files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'dist/index.js',
        'dist/index.d.ts',
        'dist-cjs/index.js',
        'dist-cjs/index.d.ts',
        'dist-cjs/package.json',
      ]),
    );
    expect(files.filter((f) => !/^(package\.json|README\.md|dist\/|dist-cjs\/)/.test(f))).toEqual([]);
    const manifest = JSON.parse(readFileSync(`${sdkDir}package.json`, 'utf8'));
    expect(manifest.dependencies).toBeUndefined();
  });
});

describe('a browser / worker bundle', () => {
  const bundle = async (platform: 'browser' | 'neutral', format: 'esm' | 'iife') => {
    const result = await build({
      entryPoints: [`${sdkDir}dist/index.js`],
      bundle: true,
      platform,
      format,
      globalName: 'QuickCartSDK',
      minify: format === 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports);
    return { text: result.outputFiles[0]?.text ?? '', inputs: Object.keys(result.metafile.inputs), imports };
  };

  it('pulls in no Node built-in (esbuild fails to resolve one for the browser) and nothing outside the package', async () => {
    for (const platform of ['browser', 'neutral'] as const) {
      const { text, inputs, imports } = await bundle(platform, 'esm');
      expect(inputs.length).toBeGreaterThan(10);
      expect(inputs.filter((input) => !input.startsWith('packages/sdk/dist/'))).toEqual([]);
      expect(imports).toEqual([]);
      expect(text).not.toMatch(/\bnode:|\brequire\(/);
    }
  });

  it('runs in a realm with only web globals (fetch, WebCrypto, timers): a call and a webhook check', async () => {
    const { text } = await bundle('browser', 'iife');
    const answer = { success: true, transaction_id: 'pay_1', status: 'paid' };
    const double = createServer((req, res) => {
      res.writeHead(req.headers.authorization === 'Bearer qc_test_worker' ? 200 : 401, {
        'content-type': 'application/json',
      });
      res.end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => double.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(double.address() as AddressInfo).port}`;
    const webGlobals = {
      fetch,
      crypto,
      URL,
      URLSearchParams,
      Headers,
      Response,
      AbortController,
      AbortSignal,
      TextEncoder,
      TextDecoder,
      atob,
      btoa,
      setTimeout,
      clearTimeout,
    };
    const realm = createContext({ ...webGlobals, console });
    runInContext(text, realm);
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"event":"payment.success"}';
    const signature = createHmac('sha256', secret).update(body).digest('hex');
    try {
      const result = await runInContext(
        `(async () => {
          const qc = new QuickCartSDK.QuickCart({ baseUrl: ${JSON.stringify(baseUrl)}, apiKey: 'qc_test_worker' });
          const status = await qc.payment.checkPaymentStatus('pay_1');
          const verified = await qc.webhooks.verify(${JSON.stringify(body)}, { 'x-kgiton-signature': ${JSON.stringify(signature)} }, ${JSON.stringify(secret)});
          const headers = await qc.webhooks.generateTestHeaders({ payload: '{}', secret: ${JSON.stringify(secret)} });
          return JSON.stringify({ status: status.status, scheme: verified.scheme, standard: (await qc.webhooks.verify('{}', headers, ${JSON.stringify(secret)})).scheme, hasProcess: typeof process, hasBuffer: typeof Buffer });
        })()`,
        realm,
      );
      expect(JSON.parse(result)).toEqual({
        status: 'paid',
        scheme: 'x-kgiton-signature',
        standard: 'standard-webhooks',
        hasProcess: 'undefined',
        hasBuffer: 'undefined',
      });
    } finally {
      double.closeAllConnections();
      await new Promise((resolve) => double.close(resolve));
    }
  });
});
