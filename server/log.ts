import { type DestinationStream, type Logger, pino } from "pino";
import type { LogLevel } from "./config.ts";

/**
 * The process logger. Threat: logs are the part of a server most often shipped elsewhere,
 * kept for long and read by many; so a log line never carries an IP address, a header, a
 * body, a key or a full id (only `shortId()`). pino's default `hostname` and `pid` are
 * dropped too: they identify the machine, not the event.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: null,
    // Defence in depth: if a careless call passes a request or headers object, pino redacts it.
    redact: {
      paths: [
        "req",
        "res",
        "headers",
        "cookie",
        "ip",
        "body",
        "authorization",
        "*.headers",
        "*.cookie",
        "*.ip",
      ],
      censor: "[redacted]",
    },
    serializers: {},
  };
  return destination ? pino(options, destination) : pino(options);
}
