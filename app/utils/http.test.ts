import { afterEach, describe, expect, test, vi } from "vitest";
import { deviceTypeFromUserAgent, getClientIp, referrerHost } from "./http.server";

const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
const ANDROID_PHONE =
  "Mozilla/5.0 (Linux; Android 14; SM-S918N) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36";
const ANDROID_TABLET =
  "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
const IPAD =
  "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1";
const DESKTOP =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";

test.each([
  [IPHONE, "mobile"],
  [ANDROID_PHONE, "mobile"],
  [ANDROID_TABLET, "tablet"],
  [IPAD, "tablet"],
  [DESKTOP, "desktop"],
  [null, "desktop"],
])("device type of %s is %s", (userAgent, expected) => {
  expect(deviceTypeFromUserAgent(userAgent)).toBe(expected);
});

describe("getClientIp", () => {
  afterEach(() => vi.unstubAllEnvs());
  const request = new Request("http://localhost/", {
    headers: { "x-forwarded-for": "1.1.1.1, 10.0.0.2" },
  });

  test("ignores X-Forwarded-For unless TRUST_PROXY is set", () => {
    expect(getClientIp(request, "10.0.0.9")).toBe("10.0.0.9");
  });
});

test("only an external referrer's host is kept", () => {
  expect(referrerHost("https://news.example.com/a/b?email=x@y.z", "app.example.com")).toBe(
    "news.example.com",
  );
  expect(referrerHost("https://app.example.com/ko", "app.example.com")).toBeNull();
  expect(referrerHost("not a url", "app.example.com")).toBeNull();
  expect(referrerHost(null, "app.example.com")).toBeNull();
});
