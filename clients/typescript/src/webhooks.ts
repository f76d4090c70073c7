/**
 * Receiving Jobline's webhooks: `verifyWebhook` checks a delivery's Standard Webhooks signature and answers its event.
 *
 * Every delivery is a POST with a JSON body `{"type": "job.completed", "timestamp", "data": {"job_id", ...}}` and the
 * headers `webhook-id` (the same on every try of a delivery: deduplicate on it), `webhook-timestamp` (epoch seconds)
 * and `webhook-signature` (`v1,<base64 HMAC-SHA256>` of `"{id}.{timestamp}.{body}"`, keyed with the base64-decoded
 * secret after its `whsec_` prefix; several, space-separated, while a secret rotates). Verify the raw body as it
 * arrived, before parsing it: a re-serialized body has other bytes. Web Crypto only (browsers, Node 20+, Deno, Bun,
 * workers), no dependency.
 */
import { JoblineError } from "./errors.js";
import type { WebhookEvent } from "./types.js";

/** Seconds a delivery's timestamp may be off the receiver's clock, either way: older ones may be replays. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

const PREFIX = "whsec_";
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The delivery is not one to trust (a header missing, no matching signature, a timestamp out of tolerance). */
export class WebhookVerificationError extends JoblineError {}

/**
 * A request's headers: a fetch `Headers`, anything with `get(name)`, or a plain object such as Node's
 * `request.headers` (names in any case).
 */
export type WebhookHeaders =
  | { get(name: string): string | null | undefined }
  | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** Default 300. */
  toleranceSeconds?: number;
  /** The receiver's time (default: now), as a Date or epoch milliseconds. */
  now?: Date | number;
}

/**
 * Checks one delivery and answers its event (the parsed body). `secret` is the `whsec_...` secret of
 * `client.webhookSecret()` (the prefix may be left off; bytes are taken as the key itself); `body` the raw body.
 * One matching `v1` signature is enough, compared in constant time (`crypto.subtle.verify`); `webhook-timestamp`
 * must be within `toleranceSeconds` of `now`. Rejects with a WebhookVerificationError saying what is wrong.
 */
export async function verifyWebhook(secret: string | Uint8Array, headers: WebhookHeaders,
  body: string | Uint8Array | ArrayBuffer, options: VerifyWebhookOptions = {}): Promise<WebhookEvent> {
  const key = await importKey(secret, "verify");
  const id = required(headers, "webhook-id");
  const stamp = required(headers, "webhook-timestamp");
  const signatures = required(headers, "webhook-signature");
  if (!/^\d+$/.test(stamp)) throw new WebhookVerificationError(`webhook-timestamp is not epoch seconds: "${stamp}"`);
  const timestamp = Number(stamp);
  const tolerance = options.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  const now = (options.now === undefined ? Date.now() : Number(options.now)) / 1000;
  if (timestamp < now - tolerance) {
    throw new WebhookVerificationError(`The delivery is too old: its timestamp is ${Math.floor(now - timestamp)} s ago, `
      + `more than the tolerance of ${tolerance} s (a replay, or a skewed clock)`);
  }
  if (timestamp > now + tolerance) {
    throw new WebhookVerificationError(`The delivery's timestamp is ${Math.floor(timestamp - now)} s in the future, `
      + `more than the tolerance of ${tolerance} s (a skewed clock?)`);
  }
  const raw = bytes(body);
  const signed = content(id, timestamp, raw);
  let anyV1 = false;
  for (const candidate of signatures.split(" ").filter(Boolean)) {
    const comma = candidate.indexOf(",");
    if (comma < 0 || candidate.slice(0, comma) !== "v1") continue;
    anyV1 = true;
    const given = fromBase64(candidate.slice(comma + 1));
    if (given && await crypto.subtle.verify("HMAC", key, given as BufferSource, signed as BufferSource)) return event(raw);
  }
  if (!anyV1) throw new WebhookVerificationError("webhook-signature holds no v1 signature (expected 'v1,<base64>')");
  throw new WebhookVerificationError("No signature matches: the body or headers were changed, or the secret is not "
    + "the one these webhooks are signed with");
}

/** `v1,<base64 signature>`: what the service sends in `webhook-signature` (handy to test a receiver). */
export async function signWebhook(secret: string | Uint8Array, id: string, timestamp: number,
  body: string | Uint8Array | ArrayBuffer): Promise<string> {
  const key = await importKey(secret, "sign");
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", key, content(id, timestamp, bytes(body)) as BufferSource));
  return `v1,${toBase64(signature)}`;
}

async function importKey(secret: string | Uint8Array, use: "sign" | "verify"): Promise<CryptoKey> {
  let raw: Uint8Array;
  if (typeof secret === "string") {
    const text = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
    const decoded = fromBase64(text);
    if (!decoded) throw new TypeError("The webhook secret is 'whsec_' and base64, as webhookSecret() answers it");
    raw = decoded;
  } else {
    raw = secret;
  }
  if (raw.length === 0) throw new TypeError("The webhook secret is empty");
  return crypto.subtle.importKey("raw", raw as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, [use]);
}

function content(id: string, timestamp: number, body: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(`${id}.${timestamp}.`);
  const all = new Uint8Array(head.length + body.length);
  all.set(head);
  all.set(body, head.length);
  return all;
}

function bytes(body: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof body === "string") return new TextEncoder().encode(body);
  return body instanceof Uint8Array ? body : new Uint8Array(body);
}

function required(headers: WebhookHeaders, name: string): string {
  const value = header(headers, name)?.trim();
  if (!value) throw new WebhookVerificationError(`The request has no ${name} header: not a signed webhook delivery`);
  return value;
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === "function") {
    return (headers as { get(name: string): string | null | undefined }).get(name) ?? undefined;
  }
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(" ") : value;
  }
  return undefined;
}

function fromBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text) || text.length % 4 !== 0) return undefined;
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function toBase64(data: Uint8Array): string {
  let binary = "";
  for (const byte of data) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function event(raw: Uint8Array): WebhookEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(raw));
  } catch (error) {
    throw new WebhookVerificationError(`The signed body is not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new WebhookVerificationError("The signed body is not a JSON object");
  }
  return parsed as WebhookEvent;
}
