export { JoblineClient, type ClientOptions, type FileInput, type SubmitOptions, type WaitOptions } from "./client.js";
export {
  AttemptStoppedError, ConnectionLostError, FatalError, JobCancelledError, JobNotFinishedError, JoblineError,
  ProblemError, type Problem,
} from "./errors.js";
export { Follow, type FollowOptions } from "./follow/follow.js";
export { FollowState } from "./follow/state.js";
export type { WebSocketConstructor, WebSocketLike } from "./follow/websocket.js";
export type { ConnectionOptions, FetchFunction } from "./http.js";
export * from "./types.js";
export {
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS, signWebhook, verifyWebhook, WebhookVerificationError, type VerifyWebhookOptions,
  type WebhookHeaders,
} from "./webhooks.js";
