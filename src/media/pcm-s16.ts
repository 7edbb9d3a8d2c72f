/**
 * Signed 16-bit little-endian PCM from ffmpeg's stdout, in chunks of any size (a chunk may
 * end in the middle of a sample: its first byte is carried to the next chunk). Shared by the
 * captions envelope and the camera sync envelope.
 */
export class S16Reader {
  private carry: number | undefined;

  constructor(private readonly onSample: (sample: number) => void) {}

  push(chunk: Uint8Array): void {
    let offset = 0;
    if (this.carry !== undefined && chunk.length > 0) {
      this.onSample((((chunk[0] ?? 0) << 8) | this.carry) << 16 >> 16);
      this.carry = undefined;
      offset = 1;
    }
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (; offset + 1 < chunk.length; offset += 2) this.onSample(view.getInt16(offset, true));
    if (offset < chunk.length) this.carry = chunk[offset];
  }
}
