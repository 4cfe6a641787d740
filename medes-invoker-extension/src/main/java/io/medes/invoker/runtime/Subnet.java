package io.medes.invoker.runtime;

/**
 * An IPv4 subnet in CIDR notation. The first host address is the gateway (the invoker's side of the
 * bridge); sandboxes get the addresses after it, up to the one before the broadcast address.
 *
 * @param network the network address as an unsigned 32-bit value
 * @param prefixLength the CIDR prefix length (8..30)
 */
public record Subnet(long network, int prefixLength) {

  public Subnet {
    if (prefixLength < 8 || prefixLength > 30) {
      throw new IllegalArgumentException("subnet prefix length must be within 8..30, got /" + prefixLength);
    }
    if ((network & ~mask(prefixLength)) != 0) {
      throw new IllegalArgumentException("subnet " + format(network) + "/" + prefixLength + " has host bits set");
    }
  }

  /** Parses {@code a.b.c.d/n}. */
  public static Subnet parse(String cidr) {
    String[] parts = cidr == null ? new String[0] : cidr.trim().split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("subnet must be written a.b.c.d/n, got '" + cidr + "'");
    }
    int prefix;
    try {
      prefix = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("subnet prefix is not a number in '" + cidr + "'", e);
    }
    return new Subnet(parseAddress(parts[0], cidr), prefix);
  }

  /** The gateway address (first host). */
  public String gateway() {
    return format(network + 1);
  }

  /** Number of addresses available to sandboxes. */
  public int sandboxCapacity() {
    return (int) ((1L << (32 - prefixLength)) - 3);
  }

  /** The address of sandbox slot {@code index} (0-based), after the gateway. */
  public String sandboxAddress(int index) {
    if (index < 0 || index >= sandboxCapacity()) {
      throw new IllegalArgumentException("sandbox address index " + index + " outside 0.." + (sandboxCapacity() - 1));
    }
    return format(network + 2 + index);
  }

  @Override
  public String toString() {
    return format(network) + "/" + prefixLength;
  }

  private static long mask(int prefix) {
    return (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
  }

  static String format(long address) {
    return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
  }

  private static long parseAddress(String dotted, String context) {
    String[] octets = dotted.split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address in subnet '" + context + "'");
    }
    long value = 0;
    for (String octet : octets) {
      int v;
      try {
        v = Integer.parseInt(octet);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an IPv4 address in subnet '" + context + "'", e);
      }
      if (v < 0 || v > 255) {
        throw new IllegalArgumentException("octet " + v + " out of range in subnet '" + context + "'");
      }
      value = (value << 8) | v;
    }
    return value;
  }
}
