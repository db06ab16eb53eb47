// Layout changes that wait for a press to end.
//
// Pressing a button takes focus from the field being typed in, and leaving a field shows its
// message: a line of text appearing above the button moved it away from under the pointer
// between press and release, and the click was lost (found as a flaky test; a person presses
// for longer than a test does). While a press is in progress, messages and activity previews
// (their line changes height too) wait for its release.

export class Presses {
  constructor() {
    this.pressing = false; // a pointer is down
    this.waiting = new Set(); // updates of the form's layout waiting for the press to end
  }

  /** Start watching the pointer (once, at start-up). */
  watch() {
    const release = () => {
      if (!this.pressing) return;
      this.pressing = false;
      const waiting = [...this.waiting];
      this.waiting.clear();
      if (waiting.length) setTimeout(() => waiting.forEach((run) => run()), 0); // after the click that follows
    };
    document.addEventListener("pointerdown", () => { this.pressing = true; }, true);
    document.addEventListener("pointerup", release, true);
    document.addEventListener("pointercancel", release, true);
    window.addEventListener("blur", release); // released outside the window
  }

  /** Run `update` now, or when the press in progress ends (it may move what is being pressed). */
  after(update) {
    if (this.pressing) this.waiting.add(update); // a Set: once, however often asked
    else update();
  }
}
