/**
 * A searchable multi-select listbox behind a button (ARIA APG listbox, multi-select): rendered into
 * the host's shadow root so the labels and `aria-activedescendant` references stay in one tree.
 *
 * Keys: on the button, ArrowDown/Enter/Space open; in the listbox, ArrowUp/ArrowDown/Home/End/
 * PageUp/PageDown move, Space or Enter toggles, a printable key types into the search field,
 * Escape closes and returns focus to the button; in the search field, ArrowDown enters the list,
 * Enter toggles the active option, Escape clears the search (then closes). Tab leaves and closes.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { classMap } from 'lit/directives/class-map.js';
import { ifDefined } from 'lit/directives/if-defined.js';

export interface MultiSelectConfig {
  label: string;
  /** All options; `undefined` while loading. */
  options: readonly string[] | undefined;
  selected: readonly string[];
  format: (value: string) => string;
  /** Called with the new selection on every toggle (and with `[]` for "All"). */
  onChange: (next: string[]) => void;
  /** The options are still loading (the selected values may already be listed). */
  loading?: boolean;
  /** Shown instead of the options when they could not be loaded. */
  error?: string;
  /** Extra content under the list (e.g. the compare hint). */
  footer?: TemplateResult | typeof nothing;
  /**
   * The labelled group an option belongs to (`undefined`: none). Consecutive options of one group
   * are listed under its label (`role="group"`), e.g. the saved segments under the engagement segments.
   */
  groupOf?: (value: string) => string | undefined;
}

type Host = ReactiveControllerHost & HTMLElement;

export class MultiSelect implements ReactiveController {
  open = false;
  query = '';
  /** Index into the visible options. */
  active = 0;
  private focusAfterUpdate?: 'listbox' | 'search' | 'trigger';

  constructor(
    private readonly host: Host,
    /** Prefix of the element ids (unique within the host's shadow root). */
    readonly id: string,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const target = this.focusAfterUpdate;
    this.focusAfterUpdate = undefined;
    const root = this.host.shadowRoot;
    if (target) root?.getElementById(`${this.id}-${target}`)?.focus();
    if (this.open) root?.querySelector(`#${this.id}-listbox [data-active]`)?.scrollIntoView?.({ block: 'nearest' });
  }

  /** Opens the list and moves focus into it. */
  show(focus: 'listbox' | 'search' = 'listbox'): void {
    this.open = true;
    this.active = 0;
    this.focusAfterUpdate = focus;
    this.host.requestUpdate();
  }

  /** Closes the list; `refocus` returns focus to the button. */
  hide(refocus = false): void {
    if (!this.open) return;
    this.open = false;
    this.query = '';
    if (refocus) this.focusAfterUpdate = 'trigger';
    this.host.requestUpdate();
  }

  private visible(cfg: MultiSelectConfig): { value: string; index: number }[] {
    const q = this.query.trim().toLocaleLowerCase();
    const all = (cfg.options ?? []).map((value, index) => ({ value, index }));
    return q ? all.filter(({ value }) => value.toLocaleLowerCase().includes(q) || cfg.format(value).toLocaleLowerCase().includes(q)) : all;
  }

  private toggle(cfg: MultiSelectConfig, value: string): void {
    const next = cfg.selected.includes(value) ? cfg.selected.filter((v) => v !== value) : [...cfg.selected, value];
    cfg.onChange(next);
  }

  render(cfg: MultiSelectConfig): TemplateResult {
    const id = this.id;
    const visible = this.visible(cfg);
    if (this.active >= visible.length) this.active = Math.max(0, visible.length - 1);
    const activeOption = visible[this.active];
    const n = cfg.selected.length;
    const summary = n === 0 ? 'All' : n === 1 ? cfg.format(cfg.selected[0]) : `${n} selected`;
    const loading = (cfg.loading ?? !cfg.options) && !cfg.error;
    return html`
      <div class="ms" part="filter" data-filter=${id} @focusout=${this.onFocusOut} @keydown=${(e: KeyboardEvent) => this.onKeydown(e, cfg, visible)}>
        <span class="ms-label" part="filter-label" id="${id}-label">${cfg.label}</span>
        <button
          id="${id}-trigger"
          part="filter-trigger"
          class="trigger"
          type="button"
          aria-haspopup="listbox"
          aria-expanded=${this.open ? 'true' : 'false'}
          aria-controls="${id}-popup"
          aria-labelledby="${id}-label ${id}-value"
          @click=${() => (this.open ? this.hide() : this.show())}
        >
          <span id="${id}-value" class="trigger-value" title=${summary}><bdi>${summary}</bdi></span>
          <span class="caret" aria-hidden="true">▾</span>
        </button>
        <div id="${id}-popup" class="popup" part="popup" ?hidden=${!this.open}>
          <input
            id="${id}-search"
            part="search"
            class="search"
            type="search"
            autocomplete="off"
            placeholder="Search…"
            aria-label=${`Search ${cfg.label.toLocaleLowerCase()}`}
            aria-controls="${id}-listbox"
            .value=${this.query}
            @input=${(e: InputEvent) => this.onSearch(e)}
          />
          ${
            cfg.error
              ? html`<p class="popup-note" role="alert">${cfg.error}</p>`
              : loading
                ? html`<p class="popup-note" role="status">Loading options…</p>`
                : visible.length === 0 && this.query
                  ? html`<p class="popup-note" role="status">No match for “<bdi>${this.query}</bdi>”.</p>`
                  : nothing
          }
          <ul
            id="${id}-listbox"
            part="listbox"
            class="listbox"
            role="listbox"
            aria-multiselectable="true"
            aria-labelledby="${id}-label"
            tabindex="0"
            aria-activedescendant=${ifDefined(activeOption ? `${id}-opt-${activeOption.index}` : undefined)}
            ?hidden=${visible.length === 0}
          >
            ${this.renderOptions(cfg, visible)}
          </ul>
          <div class="popup-footer">
            <span class="popup-count">${n === 0 ? 'All (no filter)' : `${n} selected`}</span>
            <button type="button" part="clear-button" class="link" ?disabled=${n === 0} @click=${() => cfg.onChange([])}>Clear (All)</button>
            ${cfg.footer ?? nothing}
          </div>
        </div>
      </div>
    `;
  }

  private renderOption(cfg: MultiSelectConfig, { value, index }: { value: string; index: number }, i: number): TemplateResult {
    return html`
      <li
        id="${this.id}-opt-${index}"
        part="option"
        class=${classMap({ option: true, active: i === this.active })}
        role="option"
        aria-selected=${cfg.selected.includes(value) ? 'true' : 'false'}
        ?data-active=${i === this.active}
        @click=${() => {
          this.active = i;
          this.toggle(cfg, value);
        }}
      >
        <span class="check" aria-hidden="true"></span><bdi class="option-text" title=${cfg.format(value)}>${cfg.format(value)}</bdi>
      </li>
    `;
  }

  /** The options, runs of one labelled group wrapped in `role="group"` (see {@link MultiSelectConfig.groupOf}). */
  private renderOptions(cfg: MultiSelectConfig, visible: { value: string; index: number }[]): unknown {
    const groupOf = cfg.groupOf;
    if (!groupOf) return visible.map((o, i) => this.renderOption(cfg, o, i));
    const runs: { label: string | undefined; items: { o: { value: string; index: number }; i: number }[] }[] = [];
    visible.forEach((o, i) => {
      const label = groupOf(o.value);
      const last = runs[runs.length - 1];
      if (last && last.label === label) last.items.push({ o, i });
      else runs.push({ label, items: [{ o, i }] });
    });
    return runs.map((run, r) => {
      const options = run.items.map(({ o, i }) => this.renderOption(cfg, o, i));
      if (run.label === undefined) return options;
      const labelId = `${this.id}-group-${r}`;
      return html`<li role="none" class="group" part="group">
        <span id=${labelId} class="group-label" part="group-label">${run.label}</span>
        <ul role="group" class="group-options" aria-labelledby=${labelId}>
          ${options}
        </ul>
      </li>`;
    });
  }

  private onSearch(e: InputEvent): void {
    this.query = (e.target as HTMLInputElement).value;
    this.active = 0;
    this.host.requestUpdate();
  }

  private onFocusOut = (e: FocusEvent): void => {
    const wrapper = e.currentTarget as HTMLElement;
    const next = e.relatedTarget as Node | null;
    const lost = e.target as HTMLElement;
    if (!next && this.open && lost.hidden) {
      // The listbox emptied (no match) while it had focus: stay open, in the search field.
      this.host.shadowRoot?.getElementById(`${this.id}-search`)?.focus();
      return;
    }
    if (!next || !wrapper.contains(next)) this.hide();
  };

  private onKeydown(e: KeyboardEvent, cfg: MultiSelectConfig, visible: { value: string; index: number }[]): void {
    const where = (e.composedPath()[0] as HTMLElement).id.slice(this.id.length + 1);
    if (e.key === 'Escape' && this.open) {
      if (where === 'search' && this.query) {
        this.query = '';
        this.host.requestUpdate();
      } else this.hide(true);
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    if (where === 'trigger') {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        this.show();
      }
      return;
    }
    if (where === 'search') {
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        this.focusAfterUpdate = 'listbox';
        this.host.requestUpdate();
      } else if (e.key === 'Enter') {
        e.preventDefault();
        const option = visible[this.active];
        if (option) this.toggle(cfg, option.value);
      }
      return;
    }
    if (where !== 'listbox') return;
    const last = visible.length - 1;
    const move = (to: number) => {
      e.preventDefault();
      this.active = Math.max(0, Math.min(last, to));
      this.host.requestUpdate();
    };
    switch (e.key) {
      case 'ArrowDown':
        return move(this.active + 1);
      case 'ArrowUp':
        return move(this.active - 1);
      case 'Home':
        return move(0);
      case 'End':
        return move(last);
      case 'PageDown':
        return move(this.active + 10);
      case 'PageUp':
        return move(this.active - 10);
      case ' ':
      case 'Enter': {
        e.preventDefault();
        const option = visible[this.active];
        if (option) this.toggle(cfg, option.value);
        return;
      }
      default:
        if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
          // Type-ahead: the key goes to the search field.
          e.preventDefault();
          this.query += e.key;
          this.active = 0;
          this.focusAfterUpdate = 'search';
          this.host.requestUpdate();
        }
    }
  }
}
