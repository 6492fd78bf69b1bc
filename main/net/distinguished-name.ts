/**
 * Distinguished-name formatting for subject/issuer rules and display. Node renders a DN as
 * `O=Org\nCN=name`; people write `O=Org, CN=name` or `/O=Org/CN=name`. All compare equal here.
 */

/** Canonical one-line DN: `TYPE=value, TYPE=value` with upper-case attribute types. */
export function normalizeDn(dn: string): string {
  const text = dn.trim();
  const parts = text.startsWith('/')
    ? text.slice(1).split(/\/(?=[A-Za-z0-9.]+=)/)
    : text.split(/\n|,\s*(?=[A-Za-z0-9.]+=)/);
  return parts
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? p : `${p.slice(0, eq).trim().toUpperCase()}=${p.slice(eq + 1).trim()}`;
    })
    .join(', ');
}

/**
 * Whether two DNs are equal after normalisation. Attribute order is ignored: Node prints
 * names leaf-to-root in some builds and root-to-leaf in others, and people write either.
 */
export function dnEquals(a: string, b: string): boolean {
  const parts = (dn: string): string => normalizeDn(dn).split(', ').sort().join(', ');
  return parts(a) === parts(b);
}
