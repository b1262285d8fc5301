import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

/**
 * A screen's heading. It takes focus when the screen appears, so keyboard and screen-reader
 * users land at the top of the new screen instead of on a button that no longer exists.
 */
export function Heading({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} id="sahara-heading" tabIndex={-1} class="heading">
      {children}
    </h1>
  );
}
