import {
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InboxService } from '../inbox/inbox.service';
import { AdminAuthGuard } from './admin-auth.guard';

/** For the engineer on call: what failed, and a way to process it again. */
@ApiTags('admin: inbox')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('admin/inbox')
export class InboxAdminController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly inbox: InboxService,
  ) {}

  @Get('failed')
  @ApiOperation({ summary: 'Inbound messages whose processing failed for good' })
  @ApiQuery({ name: 'limit', required: false })
  async failed(@Query('limit') limit?: string) {
    const n = Math.min(Math.max(Number(limit) || 50, 1), 500);
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT wamid, tenant_id, from_wa_id, type, text, attempts, last_error, sent_at, updated_at
         FROM inbound_messages WHERE status = 'failed' ORDER BY updated_at DESC LIMIT $1`,
      [n],
    );
    return rows.map((r) => ({
      wamid: r.wamid,
      tenantId: r.tenant_id,
      from: r.from_wa_id,
      type: r.type,
      text: r.text,
      attempts: r.attempts,
      lastError: r.last_error,
      sentAt: r.sent_at,
      failedAt: r.updated_at,
    }));
  }

  @Post(':wamid/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a failed inbound message again (it is answered at most once)' })
  async replay(@Param('wamid') wamid: string) {
    const rows: { status: string }[] = await this.db.query(
      `SELECT status FROM inbound_messages WHERE wamid = $1`,
      [wamid],
    );
    if (!rows[0]) throw new NotFoundException(`No inbound message ${wamid}`);
    const queued = await this.inbox.replay(wamid);
    return { wamid, queued };
  }
}
