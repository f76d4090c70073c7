import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhook, WebhookVerificationError } from "../src/index.js";

// The example of the Standard Webhooks specification (also what `openssl dgst -sha256 -mac HMAC` computes).
const SPEC = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

const KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
const SECRET = `whsec_${KEY.toString("base64")}`;
const NOW = 1_764_000_000;
const NOW_MS = NOW * 1000;
const BODY = JSON.stringify({
  type: "job.completed", timestamp: "2025-11-24T16:00:00Z",
  data: { job_id: "j-1", job_type: "noop", seq: 4, attempt: 1, status: "completed" },
});

/** The signature computed here with node:crypto, apart from the SDK's Web Crypto code. */
function signed({ id = "dlv-1", timestamp = NOW, body = BODY, key = KEY } = {}): string {
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

function headers(signature: string, id = "dlv-1", timestamp: number | string = NOW): Record<string, string> {
  return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signature };
}

async function refusal(promise: Promise<unknown>): Promise<WebhookVerificationError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(WebhookVerificationError);
  return error as WebhookVerificationError;
}

describe("verifyWebhook", () => {
  it("should verify the specification's example", async () => {
    const event = await verifyWebhook(SPEC.secret, headers(SPEC.signature, SPEC.id, SPEC.timestamp), SPEC.body,
      { now: (SPEC.timestamp + 10) * 1000 });

    expect(event).toEqual({ test: 2432232314 });
    expect(await signWebhook(SPEC.secret, SPEC.id, SPEC.timestamp, SPEC.body)).toBe(SPEC.signature);
  });

  it("should answer the event of a signed delivery, from Headers, a plain object or bytes", async () => {
    const fetchHeaders = new Headers(headers(signed()));
    const nodeHeaders = { "Webhook-Id": "dlv-1", "WEBHOOK-TIMESTAMP": String(NOW), "webhook-signature": signed() };

    const event = await verifyWebhook(SECRET, fetchHeaders, BODY, { now: NOW_MS });

    expect(event.type).toBe("job.completed");
    expect(event.data.job_id).toBe("j-1");
    expect(await verifyWebhook(SECRET, nodeHeaders, new TextEncoder().encode(BODY), { now: new Date(NOW_MS) }))
      .toEqual(event);
    expect(await verifyWebhook(SECRET.slice("whsec_".length), nodeHeaders, BODY, { now: NOW_MS })).toEqual(event);
    expect(await verifyWebhook(new Uint8Array(KEY), nodeHeaders, BODY, { now: NOW_MS })).toEqual(event);
  });

  it.each([
    ["another job", BODY.replace('"j-1"', '"j-2"')],
    ["a trailing space", `${BODY} `],
    ["another status", BODY.replace("completed", "failed")],
  ])("should refuse a tampered body (%s)", async (_, body) => {
    const error = await refusal(verifyWebhook(SECRET, headers(signed()), body, { now: NOW_MS }));
    expect(error.message).toMatch(/No signature matches/);
  });

  it("should refuse another id, timestamp or secret", async () => {
    await refusal(verifyWebhook(SECRET, headers(signed(), "dlv-2"), BODY, { now: NOW_MS }));
    await refusal(verifyWebhook(SECRET, headers(signed(), "dlv-1", NOW + 1), BODY, { now: NOW_MS }));
    const other = `whsec_${Buffer.alloc(32).toString("base64")}`;
    await refusal(verifyWebhook(other, headers(signed()), BODY, { now: NOW_MS }));
  });

  it("should refuse a stale or future timestamp even when signed", async () => {
    const old = NOW - 301;
    expect((await refusal(verifyWebhook(SECRET, headers(signed({ timestamp: old }), "dlv-1", old), BODY,
      { now: NOW_MS }))).message).toMatch(/too old/);
    const ahead = NOW + 301;
    expect((await refusal(verifyWebhook(SECRET, headers(signed({ timestamp: ahead }), "dlv-1", ahead), BODY,
      { now: NOW_MS }))).message).toMatch(/future/);
    // Within the tolerance, and a wider tolerance lets the old one through.
    await verifyWebhook(SECRET, headers(signed({ timestamp: NOW - 299 }), "dlv-1", NOW - 299), BODY, { now: NOW_MS });
    await verifyWebhook(SECRET, headers(signed({ timestamp: old }), "dlv-1", old), BODY,
      { now: NOW_MS, toleranceSeconds: 600 });
    // Without `now`, the clock of this machine.
    expect((await refusal(verifyWebhook(SECRET, headers(signed({ timestamp: 1_600_000_000 }), "dlv-1", 1_600_000_000),
      BODY))).message).toMatch(/too old/);
  });

  it("should accept one matching signature among several", async () => {
    const rotated = signed({ key: Buffer.alloc(32) }); // signed with another secret, as while a secret rotates
    const several = `v2,${Buffer.alloc(32, 1).toString("base64")} ${rotated} ${signed()}`;

    expect((await verifyWebhook(SECRET, headers(several), BODY, { now: NOW_MS })).data.seq).toBe(4);
    expect((await refusal(verifyWebhook(SECRET, headers(`${rotated} v1,not-base64!`), BODY, { now: NOW_MS })))
      .message).toMatch(/No signature matches/);
    expect((await refusal(verifyWebhook(SECRET, headers(`v1a,${signed().slice(3)}`), BODY, { now: NOW_MS })))
      .message).toMatch(/no v1 signature/);
  });

  it.each(["webhook-id", "webhook-timestamp", "webhook-signature"])("should name a missing %s header", async (name) => {
    const given = Object.fromEntries(Object.entries(headers(signed())).filter(([key]) => key !== name));
    expect((await refusal(verifyWebhook(SECRET, given, BODY, { now: NOW_MS }))).message).toContain(name);
  });

  it("should refuse a timestamp that is not epoch seconds", async () => {
    expect((await refusal(verifyWebhook(SECRET, headers(signed(), "dlv-1", "2025-11-24T16:00:00Z"), BODY,
      { now: NOW_MS }))).message).toMatch(/epoch seconds/);
  });
});
