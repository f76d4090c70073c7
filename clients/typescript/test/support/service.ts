/** What the tests share: the service's URL (skip when there is none), clients of it, and waiting for a condition. */
import { inject } from "vitest";
import WebSocket from "ws";
import { JoblineClient, type ClientOptions, type WebSocketConstructor } from "../../src/index.js";

export const serviceUrl: string = inject("serviceUrl");
export const hasService = serviceUrl !== "";

export function newClient(options: ClientOptions = {}): JoblineClient {
  return new JoblineClient({ baseUrl: serviceUrl, WebSocket: WebSocket as unknown as WebSocketConstructor, ...options });
}

/** Awaits `condition` (polled every 50 ms) with a deadline, instead of sleeping for a guessed time. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}
