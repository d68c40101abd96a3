import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  Header,
  HttpCode,
  Inject,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { SignatureGuard } from './signature.guard';
import { WebhookService } from './webhook.service';

@ApiTags('whatsapp')
@Controller('webhooks/whatsapp')
export class WebhookController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly webhook: WebhookService,
  ) {}

  /** Meta's subscription handshake: echo hub.challenge when the verify token matches. */
  @Get()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({
    summary: 'Webhook verification handshake (hub.mode/hub.verify_token/hub.challenge)',
  })
  verify(@Query() query: Record<string, string | string[] | undefined>): string {
    const mode = one(query['hub.mode']);
    const token = one(query['hub.verify_token']);
    const challenge = one(query['hub.challenge']);
    if (
      mode !== 'subscribe' ||
      !token ||
      !challenge ||
      !sameSecret(token, this.config.WHATSAPP_VERIFY_TOKEN)
    ) {
      throw new ForbiddenException('Verification failed');
    }
    return challenge;
  }

  /** Messages and delivery statuses: stored and queued, answered 200 fast (see WebhookService). */
  @Post()
  @HttpCode(200)
  @UseGuards(SignatureGuard)
  @ApiExcludeEndpoint()
  async receive(@Body() raw: Buffer): Promise<{ ok: true }> {
    await this.webhook.receive(raw);
    return { ok: true };
  }
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
