import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { MetricsService } from '../observability/metrics.service';
import { isValidSignature } from './signature';

/** Rejects webhook POSTs whose X-Hub-Signature-256 does not match the raw body (401). */
@Injectable()
export class SignatureGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const header = req.headers['x-hub-signature-256'];
    const value = Array.isArray(header) ? header[0] : header;
    if (!isValidSignature(raw, value, this.config.WHATSAPP_APP_SECRET)) {
      this.metrics.webhookRequests.inc({ outcome: value ? 'bad_signature' : 'no_signature' });
      throw new UnauthorizedException('Invalid or missing X-Hub-Signature-256');
    }
    return true;
  }
}
