// The package's main entry: run the server from code. Tests of an integration want
// `bizapi/testing` instead (an in-process server with a ready world and tokens).
export { start, StartRefused } from './main.ts';
export { buildApp, type App, type BuildOptions } from './app.ts';
export { loadConfig, ConfigError, type Config } from './config/config.ts';
export { VERSION_INFO, describeVersion, type VersionInfo } from './modules/registry/versions.ts';
