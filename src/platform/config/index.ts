export {
  CONFIG_VARIABLES,
  type Config,
  ConfigError,
  DEMO_OPERATOR,
  dialable,
  type LogLevel,
  loadConfig,
  type NodeEnv,
  type OperatorConfig,
  withDemoOperator,
} from './config.ts';
