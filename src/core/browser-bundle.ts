import { build } from 'esbuild';

/**
 * Code for the browser, bundled once by the server (the service worker, the offline verifier): one
 * classic script, minified, its libraries included. `define` replaces build-time names a library reads.
 */
export async function bundleForBrowser(entry: string, define: Record<string, string> = {}): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    minify: true,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
    define,
  });
  return result.outputFiles[0]!.text;
}
