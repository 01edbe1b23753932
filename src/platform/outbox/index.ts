export {
  backoffMs,
  createDispatcher,
  type Dispatcher,
  type DispatcherOptions,
  type EnqueueOptions,
  enqueue,
  type OutboxHandler,
  type OutboxMessage,
  type OutboxStats,
} from './outbox.ts';
