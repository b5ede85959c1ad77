/** Client secret notices: destinations, the outbox and its delivery worker, the SQS and webhook transports. */
export {
  MAX_DESTINATIONS,
  NOTICE_TYPES,
  NoticesService,
  retryDelayMs,
  type DestinationInput,
  type DestinationView,
  type NoticeLogEntry,
  type NoticeType,
  type RetryPolicy,
} from './notices.service.ts';
export { NoticeWorker, type WorkerLog } from './notices.worker.ts';
export { SIGNATURE_HEADER, webhookSignature } from './transports.ts';
export { signV4, amzDate } from './sigv4.ts';
