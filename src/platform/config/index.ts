export {
  CONFIG_VARIABLES,
  type Config,
  ConfigError,
  type LogLevel,
  loadConfig,
  type NodeEnv,
} from './config.ts';
