// WebM/Opus (what Chromium's MediaRecorder records) → Ogg/Opus (what a WhatsApp voice note
// is, and what the app decodes). A remux, not a transcode: the Opus packets are copied as
// they are. A small EBML reader takes the Opus track's CodecPrivate (the OpusHead) and its
// SimpleBlocks; an Ogg page writer (RFC 3533, with its CRC) lays them out as RFC 7845 says:
// OpusHead page, OpusTags page, then audio pages whose granule positions count the 48 kHz
// samples of every packet so far (each packet's duration read from its TOC byte, RFC 6716).
// Plain script, no dependency: loaded by the simulator page, and by the tests through Node.
'use strict';

(function (root, factory) {
  const api = factory();
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.WebmToOgg = api;
})(this, function () {
  const EBML = {
    Segment: 0x18538067,
    Cluster: 0x1f43b675,
    Tracks: 0x1654ae6b,
    TrackEntry: 0xae,
    Audio: 0xe1,
    BlockGroup: 0xa0,
    Block: 0xa1,
    SimpleBlock: 0xa3,
    TrackNumber: 0xd7,
    CodecID: 0x86,
    CodecPrivate: 0x63a2,
    CodecDelay: 0x56aa,
    Channels: 0x9f,
  };
  /** Master elements whose children matter: entered instead of skipped (size may be unknown). */
  const ENTER = new Set([
    EBML.Segment,
    EBML.Cluster,
    EBML.Tracks,
    EBML.TrackEntry,
    EBML.Audio,
    EBML.BlockGroup,
  ]);

  /** An EBML variable-length integer: { value, length, unknown } or null past the end. */
  function readVint(bytes, pos, keepMarker) {
    if (pos >= bytes.length) return null;
    const first = bytes[pos];
    let length = 1;
    let mask = 0x80;
    while (length <= 8 && !(first & mask)) {
      length++;
      mask >>= 1;
    }
    if (length > 8) throw new Error(`not EBML: bad length byte at ${pos}`);
    if (pos + length > bytes.length) return null;
    let value = keepMarker ? first : first & (mask - 1);
    let allOnes = (first & (mask - 1)) === mask - 1;
    for (let i = 1; i < length; i++) {
      value = value * 256 + bytes[pos + i];
      if (bytes[pos + i] !== 0xff) allOnes = false;
    }
    return { value, length, unknown: !keepMarker && allOnes };
  }

  function readUint(data) {
    let v = 0;
    for (const b of data) v = v * 256 + b;
    return v;
  }

  function ascii(data) {
    let s = '';
    for (const b of data) if (b) s += String.fromCharCode(b);
    return s;
  }

  /** The tracks (number, codec, codecPrivate, channels, codecDelayNs) and blocks of a WebM. */
  function parseWebm(bytes) {
    const tracks = [];
    const blocks = [];
    let track = null;
    let pos = 0;
    while (pos < bytes.length) {
      const id = readVint(bytes, pos, true);
      if (!id) break;
      const size = readVint(bytes, pos + id.length, false);
      if (!size) break;
      const start = pos + id.length + size.length;
      if (ENTER.has(id.value)) {
        if (id.value === EBML.TrackEntry) {
          track = { number: null, codec: null, codecPrivate: null, channels: 1, codecDelayNs: 0 };
          tracks.push(track);
        }
        pos = start;
        continue;
      }
      if (size.unknown) throw new Error(`WebM element 0x${id.value.toString(16)} has no size`);
      const end = start + size.value;
      // A recording cut short ends in a partial element: keep what came before it.
      if (end > bytes.length) break;
      const data = bytes.subarray(start, end);
      if (id.value === EBML.SimpleBlock || id.value === EBML.Block) {
        blocks.push(readBlock(data));
      } else if (track) {
        if (id.value === EBML.TrackNumber) track.number = readUint(data);
        else if (id.value === EBML.CodecID) track.codec = ascii(data);
        else if (id.value === EBML.CodecPrivate) track.codecPrivate = data;
        else if (id.value === EBML.Channels) track.channels = readUint(data);
        else if (id.value === EBML.CodecDelay) track.codecDelayNs = readUint(data);
      }
      pos = end;
    }
    return { tracks, blocks };
  }

  function readBlock(data) {
    const track = readVint(data, 0, false);
    if (!track || data.length < track.length + 3) throw new Error('truncated WebM block');
    const flags = data[track.length + 2];
    if ((flags >> 1) & 3) throw new Error('laced WebM blocks are not supported');
    return { track: track.value, frame: data.subarray(track.length + 3) };
  }

  /** Samples at 48 kHz in one Opus packet, from its TOC byte (RFC 6716 §3.1). */
  function opusPacketSamples(packet) {
    if (!packet.length) return 0;
    const toc = packet[0];
    const config = toc >> 3;
    let frame;
    if (config < 12) frame = [480, 960, 1920, 2880][config & 3];
    else if (config < 16) frame = [480, 960][config & 1];
    else frame = [120, 240, 480, 960][config & 3];
    const code = toc & 3;
    const frames = code === 0 ? 1 : code === 3 ? (packet[1] ?? 0) & 0x3f : 2;
    return frame * frames;
  }

  function opusHead(track) {
    const cp = track.codecPrivate;
    if (cp && cp.length >= 19 && ascii(cp.subarray(0, 8)) === 'OpusHead') return cp;
    // No (usable) CodecPrivate: the minimal OpusHead (mapping family 0: mono or stereo).
    const head = new Uint8Array(19);
    const view = new DataView(head.buffer);
    head.set(
      Array.from('OpusHead', (c) => c.charCodeAt(0)),
      0,
    );
    head[8] = 1;
    head[9] = Math.min(2, Math.max(1, track.channels || 1));
    view.setUint16(10, Math.round((track.codecDelayNs * 48_000) / 1e9), true);
    view.setUint32(12, 48_000, true);
    return head;
  }

  function opusTags(vendor) {
    const v = Array.from(vendor, (c) => c.charCodeAt(0) & 0x7f);
    const tags = new Uint8Array(8 + 4 + v.length + 4);
    const view = new DataView(tags.buffer);
    tags.set(
      Array.from('OpusTags', (c) => c.charCodeAt(0)),
      0,
    );
    view.setUint32(8, v.length, true);
    tags.set(v, 12);
    view.setUint32(12 + v.length, 0, true);
    return tags;
  }

  const CRC_TABLE = (() => {
    const table = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let r = i << 24;
      for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
      table[i] = r >>> 0;
    }
    return table;
  })();

  /** Ogg's CRC-32: polynomial 0x04C11DB7, not reflected, initial 0, no final XOR. */
  function oggCrc(bytes) {
    let crc = 0;
    for (let i = 0; i < bytes.length; i++) {
      crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ bytes[i]) & 0xff]) >>> 0;
    }
    return crc;
  }

  function lacingOf(packet) {
    const values = [];
    let n = packet.length;
    while (n >= 255) {
      values.push(255);
      n -= 255;
    }
    values.push(n);
    return values;
  }

  /** One Ogg page holding whole packets. */
  function oggPage(packets, granule, serial, sequence, flags) {
    const lacing = packets.flatMap(lacingOf);
    if (lacing.length > 255) throw new Error('too many segments for one Ogg page');
    const bodyLength = packets.reduce((n, p) => n + p.length, 0);
    const page = new Uint8Array(27 + lacing.length + bodyLength);
    const view = new DataView(page.buffer);
    page.set([0x4f, 0x67, 0x67, 0x53], 0); // "OggS"
    page[4] = 0; // version
    page[5] = flags; // 0x02 first page, 0x04 last page
    view.setUint32(6, granule % 0x100000000, true);
    view.setUint32(10, Math.floor(granule / 0x100000000), true);
    view.setUint32(14, serial, true);
    view.setUint32(18, sequence, true);
    page[26] = lacing.length;
    page.set(lacing, 27);
    let at = 27 + lacing.length;
    for (const p of packets) {
      page.set(p, at);
      at += p.length;
    }
    view.setUint32(22, oggCrc(page), true); // computed with the CRC field at zero
    return page;
  }

  /**
   * WebM (or Matroska) with an Opus track → an Ogg/Opus file, as bytes. Throws when there is
   * no Opus track or no audio in it.
   */
  function webmOpusToOgg(bytes, options) {
    const input = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    const { tracks, blocks } = parseWebm(input);
    const track = tracks.find((t) => t.codec === 'A_OPUS');
    if (!track) throw new Error('the recording has no Opus track');
    const packets = blocks
      .filter((b) => b.track === track.number && b.frame.length > 0)
      .map((b) => b.frame);
    if (!packets.length) throw new Error('the recording has no audio');
    const serial = (options && options.serial) >>> 0 || (Math.random() * 0xffffffff) >>> 1;
    const pages = [
      oggPage([opusHead(track)], 0, serial, 0, 0x02),
      oggPage([opusTags('changarrito simulator (WebM remux)')], 0, serial, 1, 0),
    ];
    // About one second of audio per page (50 packets of 20 ms), never over 255 segments.
    let granule = 0;
    let page = [];
    let segments = 0;
    const flush = (last) => {
      pages.push(oggPage(page, granule, serial, pages.length, last ? 0x04 : 0));
      page = [];
      segments = 0;
    };
    packets.forEach((packet, i) => {
      const need = lacingOf(packet).length;
      if (page.length && (segments + need > 255 || page.length >= 50)) flush(false);
      page.push(packet);
      segments += need;
      granule += opusPacketSamples(packet);
      if (i === packets.length - 1) flush(true);
    });
    const out = new Uint8Array(pages.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of pages) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  return { webmOpusToOgg, parseWebm, opusPacketSamples, oggCrc };
});
