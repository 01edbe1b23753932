/** The notifications module: templates, sending through the outbox, the record of what was sent. */
import type { AnyDb } from '../../platform/db/index.ts';
import type { AppInstance } from '../../platform/http/index.ts';
import type { Dispatcher } from '../../platform/outbox/index.ts';
import { NOTIFY_TOPIC, notificationHandler } from './notifications.service.ts';
import { devMessagesPage } from './pages/dev-messages.page.tsx';

export {
  type Notification,
  queueNotification,
  recentMessages,
  type SentMessage,
} from './notifications.service.ts';

export function createNotificationsModule(deps: { db: AnyDb; dispatcher: Dispatcher; production: boolean }) {
  deps.dispatcher.register(NOTIFY_TOPIC, notificationHandler(deps.db));
  return {
    async routes(app: AppInstance) {
      if (!deps.production) await app.register(devMessagesPage, { db: deps.db });
    },
  };
}
