package io.medes.loadbalancer.state;

import java.util.function.Consumer;

/**
 * An intrusive doubly linked list of sandboxes, ordered by when they entered it (oldest at the head).
 * Add and remove are O(1); the links live in the sandbox, so a sandbox can be in one function list and
 * one node list at a time — which is exactly "one state at a time".
 */
public final class SandboxList {
  enum Link { FUNCTION, NODE }

  private final Link link;
  private Sandbox head;
  private Sandbox tail;
  private int size;

  SandboxList(Link link) {
    this.link = link;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** The sandbox that has been in this list longest, or null. */
  public Sandbox oldest() {
    return head;
  }

  /** The sandbox that entered this list last, or null. */
  public Sandbox newest() {
    return tail;
  }

  /** The next-newer sandbox after {@code s} in this list, or null. */
  public Sandbox newer(Sandbox s) {
    return link == Link.FUNCTION ? s.functionNext : s.nodeNext;
  }

  /** The next-older sandbox before {@code s} in this list, or null. */
  public Sandbox older(Sandbox s) {
    return link == Link.FUNCTION ? s.functionPrev : s.nodePrev;
  }

  /** Visits every sandbox, oldest first. */
  public void forEach(Consumer<Sandbox> action) {
    for (Sandbox s = head; s != null; s = newer(s)) {
      action.accept(s);
    }
  }

  void append(Sandbox s) {
    setPrev(s, tail);
    setNext(s, null);
    if (tail == null) {
      head = s;
    } else {
      setNext(tail, s);
    }
    tail = s;
    size++;
  }

  void remove(Sandbox s) {
    Sandbox prev = older(s);
    Sandbox next = newer(s);
    if (prev == null) {
      head = next;
    } else {
      setNext(prev, next);
    }
    if (next == null) {
      tail = prev;
    } else {
      setPrev(next, prev);
    }
    setPrev(s, null);
    setNext(s, null);
    size--;
  }

  private void setPrev(Sandbox s, Sandbox v) {
    if (link == Link.FUNCTION) {
      s.functionPrev = v;
    } else {
      s.nodePrev = v;
    }
  }

  private void setNext(Sandbox s, Sandbox v) {
    if (link == Link.FUNCTION) {
      s.functionNext = v;
    } else {
      s.nodeNext = v;
    }
  }
}
