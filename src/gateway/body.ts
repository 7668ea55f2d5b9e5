/**
 * A request body read straight from Node's IncomingMessage, not through a web Request (building one
 * costs more than routing the request). Over `limit` bytes — by its Content-Length, or as it streams in
 * — is ApiError 413; a body that is not JSON is ApiError 400.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError } from './openai-api.js';

function tooLarge(limit: number): ApiError {
  return new ApiError(
    413,
    `the request body is over the limit of ${limit} bytes`,
    'invalid_request_error',
    null,
    'request_too_large',
  );
}

/** The parsed JSON body of `req`; rejects with ApiError (413, 400) and never with anything else. */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => {
      failed = true;
      reject(new ApiError(400, 'the request body could not be read', 'invalid_request_error'));
    });
    req.on('end', () => {
      if (failed) return;
      try {
        const text =
          chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
        resolve(JSON.parse(text));
      } catch {
        reject(new ApiError(400, 'the request body is not valid JSON', 'invalid_request_error'));
      }
    });
  });
}
