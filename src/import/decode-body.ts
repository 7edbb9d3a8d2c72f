import iconv from 'iconv-lite';
import { CastlineError } from '../core/errors.js';

/**
 * Bytes of a fetched or saved page/feed → text, by the charset it declares. The order follows
 * the HTML standard's encoding sniffing (https://html.spec.whatwg.org/#determining-the-character-encoding):
 * a byte order mark, then the transport's `Content-Type` charset, then a `<meta charset>` /
 * `<meta http-equiv>` (or an XML declaration's encoding) in the first 1024 bytes, else UTF-8.
 * Decoding is strict: bytes that are not valid in the declared charset are an error, never
 * silently replaced, so a mislabeled page cannot turn into an issue full of "�".
 * Legacy charsets go through iconv-lite: Node 20's TextDecoder decodes "windows-1252" as
 * ISO-8859-1 (its latin1 fast path), which loses curly quotes, dashes and € (0x80–0x9F).
 */

export function declaredCharset(bytes: Uint8Array, contentType: string | undefined): { charset: string; from: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { charset: 'utf-8', from: 'byte order mark' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { charset: 'utf-16be', from: 'byte order mark' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { charset: 'utf-16le', from: 'byte order mark' };
  const header = contentType ? /charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType)?.[1] : undefined;
  if (header) return { charset: header.toLowerCase(), from: 'the Content-Type header' };
  // latin1 maps every byte to one character, so ASCII markup is found whatever the real charset.
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  const xml = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1];
  if (xml) return { charset: xml.toLowerCase(), from: 'the XML declaration' };
  const meta = /<meta\b[^>]*\bcharset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1];
  if (meta) return { charset: meta.toLowerCase(), from: 'the page\'s <meta charset>' };
  return { charset: 'utf-8', from: 'the default (nothing declared)' };
}

export function decodeBody(bytes: Uint8Array, contentType: string | undefined, name: string): string {
  const { charset, from } = declaredCharset(bytes, contentType);
  const utf = /^(?:utf-?8|unicode-1-1-utf-8|utf-?16(?:be|le)?)$/i.test(charset);
  if (!utf) {
    if (!iconv.encodingExists(charset)) {
      throw new CastlineError('import-charset', `${name} is in the character set "${charset}" (from ${from}), which castline cannot decode`, {
        hint: 'open it in a browser, save it as UTF-8 (or copy the text into a file) and pass that to --from or --issue',
      });
    }
    return iconv.decode(Buffer.from(bytes), charset).replace(/\r\n?/g, '\n');
  }
  try {
    return new TextDecoder(charset, { fatal: true }).decode(bytes).replace(/\r\n?/g, '\n');
  } catch {
    throw new CastlineError('import-charset', `${name} is not valid ${charset.toUpperCase()} text (the charset comes from ${from})`, {
      hint: from.startsWith('the default') ? 'the page probably uses another character set without declaring it: save it from a browser as UTF-8 and pass the file to --from' : 'the page declares the wrong character set: save it from a browser as UTF-8 and pass the file to --from',
    });
  }
}
