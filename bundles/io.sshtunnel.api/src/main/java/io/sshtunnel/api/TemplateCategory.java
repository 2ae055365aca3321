package io.sshtunnel.api;

import java.util.Locale;

/** What kind of service a {@link TunnelTemplate} reaches; the console groups templates by it. */
public enum TemplateCategory {
    DIRECTORY("Directory", "Verzeichnis"),
    DATABASE("Database", "Datenbank"),
    MONITORING("Monitoring", "Überwachung"),
    TELEPHONY("Telephony", "Telefonie"),
    REMOTE_ACCESS("Remote access", "Fernzugriff"),
    FILES("Files", "Dateien");

    private final String en;
    private final String de;

    TemplateCategory(String en, String de) {
        this.en = en;
        this.de = de;
    }

    /** The category's name in English, or in German for a German locale. */
    public String title(Locale locale) {
        return locale != null && "de".equals(locale.getLanguage()) ? de : en;
    }
}
