/**
 * A JPEG that carries an EXIF block with a GPS position, built by hand: the APP1 segment
 * (Exif header, big-endian TIFF, IFD0 pointing at a GPS IFD with latitude and longitude) is
 * inserted after the SOI marker of a plain JPEG. The GPS values are a recognisable byte pattern
 * (GPS_PATTERN) that must not survive the frame's re-encoding.
 */
const GPS_IFD_OFFSET = 26;

function rational(view: DataView, at: number, numerator: number, denominator: number): void {
  view.setUint32(at, numerator);
  view.setUint32(at + 4, denominator);
}

/** Degrees, minutes, seconds ×1000: 33° 41' 24.170" N, 73° 2' 51.777" E. */
export const GPS_PATTERN = Uint8Array.from([
  0, 0, 0, 33, 0, 0, 0, 1, 0, 0, 0, 41, 0, 0, 0, 1, 0, 0, 0x5e, 0x6a,
]);

export function exifGpsSegment(): Uint8Array {
  // TIFF: header (8) | IFD0: count, 1 entry (GPS pointer), next 0 (18) | GPS IFD: count, 4 entries, next 0 (54) | 2×24 rationals
  const tiff = new Uint8Array(8 + 18 + 54 + 48);
  const view = new DataView(tiff.buffer);
  tiff.set([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]);
  view.setUint16(8, 1);
  view.setUint16(10, 0x8825); // GPSInfo
  view.setUint16(12, 4); // LONG
  view.setUint32(14, 1);
  view.setUint32(18, GPS_IFD_OFFSET);
  view.setUint32(22, 0);
  const data = GPS_IFD_OFFSET + 2 + 4 * 12 + 4;
  view.setUint16(GPS_IFD_OFFSET, 4);
  const entry = (i: number, tag: number, type: number, count: number, value: (at: number) => void) => {
    const at = GPS_IFD_OFFSET + 2 + i * 12;
    view.setUint16(at, tag);
    view.setUint16(at + 2, type);
    view.setUint32(at + 4, count);
    value(at + 8);
  };
  entry(0, 1, 2, 2, (at) => tiff.set([0x4e, 0], at)); // GPSLatitudeRef "N"
  entry(1, 2, 5, 3, (at) => view.setUint32(at, data)); // GPSLatitude
  entry(2, 3, 2, 2, (at) => tiff.set([0x45, 0], at)); // GPSLongitudeRef "E"
  entry(3, 4, 5, 3, (at) => view.setUint32(at, data + 24)); // GPSLongitude
  view.setUint32(GPS_IFD_OFFSET + 2 + 48, 0);
  rational(view, data, 33, 1);
  rational(view, data + 8, 41, 1);
  rational(view, data + 16, 24170, 1000);
  rational(view, data + 24, 73, 1);
  rational(view, data + 32, 2, 1);
  rational(view, data + 40, 51777, 1000);
  const header = new TextEncoder().encode("Exif\0\0");
  const length = 2 + header.length + tiff.length;
  const segment = new Uint8Array(2 + length);
  segment.set([0xff, 0xe1, length >> 8, length & 0xff]);
  segment.set(header, 4);
  segment.set(tiff, 4 + header.length);
  return segment;
}

/** The JPEG with the segment inserted right after SOI (FF D8). */
export function withExifGps(jpeg: Uint8Array): Uint8Array {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error("not a JPEG");
  const segment = exifGpsSegment();
  const out = new Uint8Array(jpeg.length + segment.length);
  out.set(jpeg.subarray(0, 2));
  out.set(segment, 2);
  out.set(jpeg.subarray(2), 2 + segment.length);
  return out;
}

export function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
