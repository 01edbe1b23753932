export {
  type AgencySystemsConfig,
  type PoliceSystemConfig,
  withDemoAgencySystems,
} from './agency-systems.ts';
export {
  type Config,
  ConfigError,
  type LogLevel,
  loadConfig,
  type NodeEnv,
  type PaymentsCrashPoint,
} from './config.ts';
export type { MetricsConfig } from './metrics.ts';
export {
  type NotificationsConfig,
  type SmsGatewayConfig,
  type SmtpConfig,
  withDemoNotifications,
} from './notifications.ts';
export { DEMO_OPERATOR, dialable, type OperatorConfig, withDemoOperator } from './operator.ts';
export {
  type RegisterEndpointConfig,
  type RegistersConfig,
  withDemoRegisters,
} from './registers.ts';
export { CONFIG_VARIABLES } from './variables.ts';
