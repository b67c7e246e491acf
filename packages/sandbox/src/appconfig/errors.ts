/**
 * AppConfig's restJson1 errors. The SDK picks the error class from the `X-Amzn-ErrorType` header
 * and the members from the JSON body, so every failure travels as both.
 */
import { type Reply, ServiceError } from '../core.ts';

export interface InvalidConfigurationDetail {
  Constraint: string;
  Location: string;
  Reason: string;
  Type: string;
  Value: string;
}

export function badRequest(message: string): ServiceError {
  return new ServiceError(400, 'BadRequestException', message);
}

export function invalidConfiguration(message: string, details: InvalidConfigurationDetail[]): ServiceError {
  return new ServiceError(400, 'BadRequestException', message, {
    Reason: 'InvalidConfiguration',
    Details: { InvalidConfiguration: details },
  });
}

export function notFound(resource: string, id: string): ServiceError {
  return new ServiceError(404, 'ResourceNotFoundException', `${resource} ${id} not found`, {
    ResourceName: resource,
  });
}

export function conflict(message: string): ServiceError {
  return new ServiceError(409, 'ConflictException', message);
}

export function quotaExceeded(message: string): ServiceError {
  return new ServiceError(402, 'ServiceQuotaExceededException', message);
}

export function payloadTooLarge(sizeBytes: number, limitBytes: number): ServiceError {
  return new ServiceError(
    413,
    'PayloadTooLargeException',
    `configuration content is ${sizeBytes} bytes; hosted configurations are limited to ${limitBytes} bytes`,
    { Measure: 'KILOBYTES', Limit: limitBytes / 1024, Size: Math.ceil((sizeBytes / 1024) * 100) / 100 },
  );
}

/** Not modelled by AppConfig, but a 429 named ThrottlingException is what the SDK retries. */
export function throttling(): ServiceError {
  return new ServiceError(429, 'ThrottlingException', 'Rate exceeded');
}

export function encodeRestJsonError(err: ServiceError): Reply {
  return {
    status: err.status,
    headers: { 'x-amzn-errortype': err.code, 'content-type': 'application/json' },
    body: { Message: err.message, ...err.extra },
  };
}
