/** The settings tab: engine connection, transcription options, how transcripts are written. */
import { PluginSettingTab, Setting, type App, type Plugin } from 'obsidian';
import { CALLOUT_FOLDS, DEFAULT_SETTINGS, LANGUAGES, TIMESTAMP_FORMATS, type CalloutFold, type Language, type TimestampFormat, type TingxieSettings } from './settings.ts';

export interface SettingsHost extends Plugin {
  settings: TingxieSettings;
  saveSettings(): Promise<void>;
  /** `GET /health` of the configured engine, as a sentence for the user. */
  checkEngine(): Promise<string>;
}

const FOLD_NAMES: Record<CalloutFold, string> = { '': 'Always open', '-': 'Folded', '+': 'Open, foldable' };

export class TingxieSettingTab extends PluginSettingTab {
  constructor(
    app: App,
    private readonly host: SettingsHost,
  ) {
    super(app, host);
  }

  override display(): void {
    const { containerEl } = this;
    containerEl.empty();
    const settings = this.host.settings;
    const save = async (): Promise<void> => this.host.saveSettings();

    new Setting(containerEl).setName('Engine').setHeading();
    new Setting(containerEl)
      .setName('Engine URL')
      .setDesc('Where "tingxie serve" listens.')
      .addText((text) =>
        text
          .setPlaceholder(DEFAULT_SETTINGS.engineUrl)
          .setValue(settings.engineUrl)
          .onChange(async (value) => {
            settings.engineUrl = value.trim() || DEFAULT_SETTINGS.engineUrl;
            await save();
          }),
      )
      .addButton((button) =>
        button.setButtonText('Check').onClick(async () => {
          button.setButtonText(await this.host.checkEngine());
        }),
      );
    new Setting(containerEl)
      .setName('Token')
      .setDesc('Only when the engine asks for one (the file "token" in its data folder).')
      .addText((text) =>
        text.setValue(settings.token).onChange(async (value) => {
          settings.token = value.trim();
          await save();
        }),
      );

    new Setting(containerEl).setName('Transcription').setHeading();
    new Setting(containerEl).setName('Language').addDropdown((dropdown) => {
      for (const language of LANGUAGES) dropdown.addOption(language, language);
      dropdown.setValue(settings.language).onChange(async (value) => {
        settings.language = value as Language;
        await save();
      });
    });
    new Setting(containerEl)
      .setName('Written form (ITN)')
      .setDesc('Digits and dates instead of spelled-out numbers.')
      .addToggle((toggle) =>
        toggle.setValue(settings.itn).onChange(async (value) => {
          settings.itn = value;
          await save();
        }),
      );
    new Setting(containerEl)
      .setName('Hotwords')
      .setDesc('Names and terms to prefer, one per line.')
      .addTextArea((area) =>
        area.setValue(settings.hotwords).onChange(async (value) => {
          settings.hotwords = value;
          await save();
        }),
      );

    new Setting(containerEl).setName('Output').setHeading();
    new Setting(containerEl)
      .setName('Transcript note template')
      .setDesc('For "Transcribe audio file": {{text}}, {{segments}}, {{file}}, {{date}}.')
      .addTextArea((area) =>
        area.setValue(settings.transcriptTemplate).onChange(async (value) => {
          settings.transcriptTemplate = value;
          await save();
        }),
      );
    new Setting(containerEl).setName('Timestamp format').addDropdown((dropdown) => {
      for (const format of TIMESTAMP_FORMATS) dropdown.addOption(format, format);
      dropdown.setValue(settings.timestampFormat).onChange(async (value) => {
        settings.timestampFormat = value as TimestampFormat;
        await save();
      });
    });
    new Setting(containerEl)
      .setName('Callout type')
      .setDesc('Transcripts go in "> [!type]" callouts; a second run recognises them by it.')
      .addText((text) =>
        text.setValue(settings.calloutType).onChange(async (value) => {
          if (/^[\w-]+$/.test(value.trim())) {
            settings.calloutType = value.trim();
            await save();
          }
        }),
      );
    new Setting(containerEl).setName('Callout folding').addDropdown((dropdown) => {
      for (const fold of CALLOUT_FOLDS) dropdown.addOption(fold, FOLD_NAMES[fold]);
      dropdown.setValue(settings.calloutFold).onChange(async (value) => {
        settings.calloutFold = value as CalloutFold;
        await save();
      });
    });
    new Setting(containerEl)
      .setName('Always transcribe again')
      .setDesc('Replace existing transcripts instead of skipping attachments that have one.')
      .addToggle((toggle) =>
        toggle.setValue(settings.redoTranscribed).onChange(async (value) => {
          settings.redoTranscribed = value;
          await save();
        }),
      );
  }
}
