/** Just enough multipart/form-data (RFC 7578) to read what an SDK uploads. */
export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export function parseMultipart(body: Buffer, contentType: string | undefined): FormPart[] | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  if (!boundary || !/^multipart\/form-data/i.test(contentType ?? '')) return null;
  const delimiter = Buffer.from(`--${(boundary[1] ?? boundary[2])!.trim()}`);
  const parts: FormPart[] = [];
  let start = body.indexOf(delimiter);
  if (start < 0) return null;
  while (true) {
    start += delimiter.length;
    if (body.toString('latin1', start, start + 2) === '--') return parts; // closing delimiter
    start += 2; // CRLF after the delimiter
    const end = body.indexOf(delimiter, start);
    if (end < 0) return null;
    const part = body.subarray(start, end - 2); // the CRLF before the next delimiter
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) return null;
    const headers = part.toString('utf8', 0, split);
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) return null;
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
    parts.push({
      name,
      ...(filename !== undefined ? { filename } : {}),
      ...(type ? { contentType: type } : {}),
      data: part.subarray(split + 4),
    });
    start = end;
  }
}
