/**
 * A resource's "how to reach them" text with every phone number kept left to right. In Urdu
 * (right to left) the bidirectional algorithm would otherwise reorder "0800-39393" or
 * "+92 51 111" around the hyphens and spaces, and a survivor in a hurry would dial the wrong
 * number. Each number run is isolated as LTR; the rest follows its own direction (`bdi`).
 */
/** Digit groups joined by one space, hyphen or dot, with an optional leading "+". */
const NUMBER_RUN = /\+?\d+(?:[ .-]\d+)*/g;

export function splitNumbers(text: string): readonly Readonly<{ text: string; number: boolean }>[] {
  const parts: { text: string; number: boolean }[] = [];
  let last = 0;
  for (const match of text.matchAll(NUMBER_RUN)) {
    const start = match.index;
    if (start > last) parts.push({ text: text.slice(last, start), number: false });
    parts.push({ text: match[0], number: true });
    last = start + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), number: false });
  return parts;
}

export function ContactText({ text }: Readonly<{ text: string }>) {
  return (
    <bdi class="contact">
      {splitNumbers(text).map((part, i) =>
        part.number ? (
          <bdi key={i} dir="ltr" class="number">
            {part.text}
          </bdi>
        ) : (
          part.text
        ),
      )}
    </bdi>
  );
}
