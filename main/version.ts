/** The app version, injected at build time by esbuild (`__APP_VERSION__`), else read in tests. */
declare const __APP_VERSION__: string | undefined;

/** The app's semver version. */
export const APP_VERSION: string =
  typeof __APP_VERSION__ === 'string'
    ? __APP_VERSION__
    : (process.env.npm_package_version ?? '0.0.0-dev');
