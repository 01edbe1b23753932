export {
  backoffMs,
  createDispatcher,
  type Dispatcher,
  type DispatcherOptions,
  type EnqueueOptions,
  enqueue,
  enqueueEach,
  type OutboxHandler,
  type OutboxMessage,
  type OutboxStats,
} from './outbox.ts';
