/**
 * The task pane: four tabs (dictate, transcribe a recording, meeting minutes, settings) wired to the engine
 * and to the Word operations in word-ops.ts. Each user action that changes the document is one `Word.run`.
 */
import { DictationSession } from './dictation.ts';
import { EngineClient, PaneError } from './engine-client.ts';
import { dictationPiece, type InsertFormat } from './format.ts';
import { message, uiLanguageFor, type MessageKey, type UiLanguage } from './i18n.ts';
import { SPEECH_LANGUAGES, defaultSettings, loadSettings, saveSettings, type KeyValueStore, type PaneSettings } from './settings.ts';
import { finishDictation, insertDictation, insertMinutes, insertTranscript, newDictationTracker, type DictationTracker } from './word-ops.ts';

type StatusKind = 'info' | 'ok' | 'error' | 'busy';

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} missing from taskpane.html`);
  return found as T;
}

/** Office's roaming settings when the host has them, else this browser's localStorage. */
function settingsStore(): KeyValueStore {
  const roaming = typeof Office !== 'undefined' ? Office.context?.roamingSettings : undefined;
  if (roaming) {
    return {
      get: (key) => {
        const value: unknown = roaming.get(key);
        return typeof value === 'string' ? value : null;
      },
      set: (key, value) =>
        new Promise((resolve) => {
          roaming.set(key, value);
          roaming.saveAsync(() => resolve());
        }),
    };
  }
  return {
    get: (key) => {
      try {
        return window.localStorage.getItem(key);
      } catch {
        return null;
      }
    },
    set: async (key, value) => {
      try {
        window.localStorage.setItem(key, value);
      } catch {
        // Storage disabled: settings last for this session only.
      }
    },
  };
}

/** The engine that served this page, else the default `tingxie serve --tls` address. */
function defaultEngineUrl(): string {
  return location.protocol === 'http:' || location.protocol === 'https:' ? location.origin : 'https://localhost:7860';
}

class TaskPane {
  private settings: PaneSettings;
  private readonly store: KeyValueStore;
  private dictation: DictationSession | null = null;
  private tracker: DictationTracker | null = null;
  private lastDictated = '';
  private lastHistory: { id: number; name: string } | null = null;
  private sessions = 0;

  constructor(
    private readonly officeReady: boolean,
    displayLanguage: string | null,
  ) {
    this.store = settingsStore();
    this.settings = loadSettings(this.store, defaultSettings(defaultEngineUrl(), uiLanguageFor(displayLanguage ?? navigator.language)));
  }

  private t(key: MessageKey, values: Record<string, string> = {}): string {
    return message(this.settings.uiLanguage, key, values);
  }

  private client(): EngineClient {
    return new EngineClient(this.settings.engineUrl, this.settings.token);
  }

  private status(kind: StatusKind, text: string): void {
    const box = element('status');
    box.textContent = text;
    box.className = `status status-${kind}`;
    box.hidden = text.length === 0;
  }

  private fail(error: unknown): void {
    if (error instanceof PaneError) this.status('error', this.t(error.key, { url: this.settings.engineUrl, ...error.values }));
    else this.status('error', this.t('errWord', { message: (error as Error).message ?? String(error) }));
  }

  private progress(fraction: number | null): void {
    const bar = element<HTMLProgressElement>('progress');
    bar.hidden = fraction === null;
    if (fraction !== null) bar.value = Math.round(fraction * 100);
  }

  /** One Word.run for one user action; Word's failures become "Word refused" messages. */
  private async inWord(batch: (context: Word.RequestContext) => Promise<void>): Promise<void> {
    if (!this.officeReady) throw new PaneError('notInWord');
    try {
      await Word.run(batch);
    } catch (error) {
      throw new PaneError('errWord', { message: (error as Error).message ?? String(error) });
    }
  }

  start(): void {
    this.render();
    for (const tab of document.querySelectorAll<HTMLButtonElement>('[data-tab]')) tab.addEventListener('click', () => this.showTab(tab.dataset.tab ?? 'dictate'));
    element('dictate-toggle').addEventListener('click', () => void this.toggleDictation());
    element('transcribe-run').addEventListener('click', () => void this.transcribe());
    element('minutes-run').addEventListener('click', () => void this.minutes());
    element('settings-save').addEventListener('click', () => void this.saveSettingsFromForm());
    element('settings-check').addEventListener('click', () => void this.checkEngine());
    element('hotwords-load').addEventListener('click', () => void this.loadHotwords());
    element('hotwords-save').addEventListener('click', () => void this.saveHotwords());
    element<HTMLSelectElement>('format').addEventListener('change', (event) => {
      this.settings = { ...this.settings, format: (event.target as HTMLSelectElement).value as InsertFormat };
      void saveSettings(this.store, this.settings);
    });
    element<HTMLSelectElement>('ui-language').addEventListener('change', (event) => {
      this.settings = { ...this.settings, uiLanguage: (event.target as HTMLSelectElement).value as UiLanguage };
      void saveSettings(this.store, this.settings);
      this.render();
    });
    this.wireDrop('transcribe-drop', 'transcribe-file');
    this.wireDrop('minutes-drop', 'minutes-file');
    if (!this.officeReady) this.status('error', this.t('notInWord'));
  }

  private wireDrop(zoneId: string, inputId: string): void {
    const zone = element(zoneId);
    const input = element<HTMLInputElement>(inputId);
    const label = zone.querySelector('.drop-name');
    const show = (): void => {
      if (label) label.textContent = input.files?.[0]?.name ?? '';
    };
    input.addEventListener('change', show);
    zone.addEventListener('dragover', (event) => {
      event.preventDefault();
      zone.classList.add('drag');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('drag'));
    zone.addEventListener('drop', (event) => {
      event.preventDefault();
      zone.classList.remove('drag');
      if (event.dataTransfer?.files.length) {
        input.files = event.dataTransfer.files;
        show();
      }
    });
  }

  private showTab(name: string): void {
    for (const tab of document.querySelectorAll<HTMLButtonElement>('[data-tab]')) tab.setAttribute('aria-selected', String(tab.dataset.tab === name));
    for (const panel of document.querySelectorAll<HTMLElement>('[data-panel]')) panel.hidden = panel.dataset.panel !== name;
  }

  /** Fills every `data-i18n` label and the settings form. */
  private render(): void {
    document.documentElement.lang = this.settings.uiLanguage === 'zh' ? 'zh-CN' : 'en';
    for (const node of document.querySelectorAll<HTMLElement>('[data-i18n]')) node.textContent = this.t(node.dataset.i18n as MessageKey);
    element<HTMLInputElement>('engine-url').value = this.settings.engineUrl;
    element<HTMLInputElement>('token').value = this.settings.token;
    element<HTMLInputElement>('itn').checked = this.settings.itn;
    element<HTMLSelectElement>('format').value = this.settings.format;
    element<HTMLSelectElement>('ui-language').value = this.settings.uiLanguage;
    const language = element<HTMLSelectElement>('language');
    language.replaceChildren(
      ...SPEECH_LANGUAGES.map((code) => {
        const option = document.createElement('option');
        option.value = code;
        option.textContent = code === 'auto' ? this.t('languageAuto') : code;
        return option;
      }),
    );
    language.value = this.settings.language;
    this.renderLastHistory();
    element('dictate-toggle').textContent = this.t(this.dictation ? 'stopDictation' : 'startDictation');
  }

  private renderLastHistory(): void {
    const radio = element<HTMLInputElement>('minutes-from-last');
    radio.disabled = this.lastHistory === null;
    element('minutes-last-name').textContent = this.lastHistory ? ` (${this.lastHistory.name})` : '';
  }

  private readForm(): PaneSettings {
    return {
      ...this.settings,
      engineUrl: element<HTMLInputElement>('engine-url').value.trim() || defaultEngineUrl(),
      token: element<HTMLInputElement>('token').value.trim(),
      language: element<HTMLSelectElement>('language').value,
      itn: element<HTMLInputElement>('itn').checked,
    };
  }

  private async saveSettingsFromForm(): Promise<void> {
    this.settings = this.readForm();
    await saveSettings(this.store, this.settings);
    this.status('ok', this.t('saved'));
  }

  private async checkEngine(): Promise<void> {
    this.settings = this.readForm();
    this.status('busy', '…');
    try {
      await this.client().check();
      this.status('ok', `${this.t('engineOk')}: ${this.settings.engineUrl}`);
    } catch (error) {
      this.fail(error);
    }
  }

  private async loadHotwords(): Promise<void> {
    this.settings = this.readForm();
    try {
      element<HTMLTextAreaElement>('hotwords').value = (await this.client().getHotwords()).text;
      this.status('ok', this.t('hotwordsLoaded'));
    } catch (error) {
      this.fail(error);
    }
  }

  private async saveHotwords(): Promise<void> {
    this.settings = this.readForm();
    try {
      element<HTMLTextAreaElement>('hotwords').value = (await this.client().putHotwords(element<HTMLTextAreaElement>('hotwords').value)).text;
      this.status('ok', this.t('hotwordsSaved'));
    } catch (error) {
      this.fail(error);
    }
  }

  private async toggleDictation(): Promise<void> {
    const button = element<HTMLButtonElement>('dictate-toggle');
    if (this.dictation) {
      const session = this.dictation;
      button.disabled = true;
      this.status('busy', this.t('stopping'));
      try {
        await session.stop();
        if (this.tracker) {
          const tracker = this.tracker;
          await this.inWord((context) => finishDictation(context, tracker));
        }
        this.status('ok', this.t('dictationDone'));
      } catch (error) {
        this.fail(error);
      } finally {
        this.dictation = null;
        this.tracker = null;
        button.disabled = false;
        button.textContent = this.t('startDictation');
        button.classList.remove('recording');
        element('partial').textContent = '';
      }
      return;
    }
    button.disabled = true;
    try {
      if (!this.officeReady) throw new PaneError('notInWord');
      await this.requestMicrophone();
      const tracker = newDictationTracker(`${Date.now().toString(36)}-${++this.sessions}`);
      this.tracker = tracker;
      this.lastDictated = '';
      this.dictation = await DictationSession.start(
        this.client(),
        { language: this.settings.language, itn: this.settings.itn },
        {
          onPartial: (text) => {
            element('partial').textContent = text;
          },
          onFinal: async (text) => {
            const piece = dictationPiece(this.lastDictated, text);
            if (!piece) return;
            try {
              await this.inWord((context) => insertDictation(context, tracker, piece));
              this.lastDictated = piece;
            } catch (error) {
              this.fail(error);
            }
          },
          onError: (error) => {
            this.fail(error);
            this.dictation = null;
            this.tracker = null;
            button.textContent = this.t('startDictation');
            button.classList.remove('recording');
          },
        },
      );
      button.textContent = this.t('stopDictation');
      button.classList.add('recording');
      this.status('info', this.t('listening'));
    } catch (error) {
      this.dictation = null;
      this.fail(error);
    } finally {
      button.disabled = false;
    }
  }

  /** Office's own microphone consent (`requestPermissions`, Word on the web and desktop) where the host has it; elsewhere the browser or WebView asks. */
  private async requestMicrophone(): Promise<void> {
    if (!Office.context?.requirements?.isSetSupported('DevicePermissionService', '1.1')) return;
    try {
      const granted = await Office.devicePermission.requestPermissions([Office.DevicePermissionType.microphone]);
      if (!granted) throw new PaneError('errMicDenied');
    } catch (error) {
      if (error instanceof PaneError) throw error;
      throw new PaneError('errMicDenied');
    }
  }

  private selectedFile(inputId: string): File {
    const file = element<HTMLInputElement>(inputId).files?.[0];
    if (!file) throw new PaneError('noFile');
    return file;
  }

  private async transcribe(): Promise<void> {
    const button = element<HTMLButtonElement>('transcribe-run');
    button.disabled = true;
    try {
      const file = this.selectedFile('transcribe-file');
      if (!this.officeReady) throw new PaneError('notInWord');
      this.status('busy', this.t('uploading'));
      const outcome = await this.client().transcribe(file, file.name, { language: this.settings.language, itn: this.settings.itn }, (fraction) => {
        this.progress(fraction);
        this.status('busy', fraction < 1 ? `${this.t('uploading')} ${Math.round(fraction * 100)}%` : this.t('transcribing'));
      });
      if (outcome.historyId !== null) this.lastHistory = { id: outcome.historyId, name: file.name };
      this.renderLastHistory();
      const format = element<HTMLSelectElement>('format').value as InsertFormat;
      await this.inWord((context) => insertTranscript(context, outcome.result, format, this.settings.uiLanguage));
      this.status('ok', this.t('inserted'));
    } catch (error) {
      this.fail(error);
    } finally {
      this.progress(null);
      button.disabled = false;
    }
  }

  private async minutes(): Promise<void> {
    const button = element<HTMLButtonElement>('minutes-run');
    button.disabled = true;
    try {
      const fromLast = element<HTMLInputElement>('minutes-from-last').checked;
      if (!this.officeReady) throw new PaneError('notInWord');
      let response;
      if (fromLast) {
        if (!this.lastHistory) throw new PaneError('minutesNoLast');
        this.status('busy', this.t('minutesWorking'));
        response = await this.client().minutesFromHistory(this.lastHistory.id, this.settings.language);
      } else {
        const file = this.selectedFile('minutes-file');
        this.status('busy', this.t('uploading'));
        response = await this.client().minutesFromFile(file, file.name, { language: this.settings.language, itn: this.settings.itn }, (fraction) => {
          this.progress(fraction);
          this.status('busy', fraction < 1 ? `${this.t('uploading')} ${Math.round(fraction * 100)}%` : this.t('minutesWorking'));
        });
        if (response.historyId !== null) this.lastHistory = { id: response.historyId, name: file.name };
        this.renderLastHistory();
      }
      const minutes = response.minutes;
      await this.inWord((context) => insertMinutes(context, minutes));
      this.status('ok', this.t('inserted'));
    } catch (error) {
      this.fail(error);
    } finally {
      this.progress(null);
      button.disabled = false;
    }
  }
}

function boot(): void {
  if (typeof Office === 'undefined') {
    // office.js did not load (opened outside Office, or offline): settings still work.
    new TaskPane(false, null).start();
    return;
  }
  void Office.onReady((info) => {
    const inWord = info.host === Office.HostType.Word;
    new TaskPane(inWord, Office.context?.displayLanguage ?? null).start();
  });
}

boot();
