package io.sshtunnel.templates.internal;

import static io.sshtunnel.api.MappingKind.L;
import static io.sshtunnel.api.MappingKind.R;
import static io.sshtunnel.api.MappingTemplate.fixed;
import static io.sshtunnel.api.MappingTemplate.toPlaceholder;

import java.util.List;

import io.sshtunnel.api.Placeholder;
import io.sshtunnel.api.TemplateCategory;
import io.sshtunnel.api.TemplateDefinition;
import io.sshtunnel.api.TunnelTemplate;

/** The templates every installation has: the seed's examples and the services its users reach most. */
final class BuiltInTemplates {
    private BuiltInTemplates() {
    }

    static final Placeholder DC = new Placeholder("dc", "Domain controller (host name or IP address)",
            "Domänencontroller (Hostname oder IP-Adresse)", "dc1.corp.local");
    static final Placeholder SQL = new Placeholder("sql", "SQL Server (host name or IP address)",
            "SQL-Server (Hostname oder IP-Adresse)", "sql1.corp.local");
    static final Placeholder DB = new Placeholder("db", "Database server (host name or IP address)",
            "Datenbankserver (Hostname oder IP-Adresse)", "db1.corp.local");
    static final Placeholder MD = new Placeholder("md", "MetaDirectory server (host name or IP address)",
            "MetaDirectory-Server (Hostname oder IP-Adresse)", "metadir.corp.local");
    static final Placeholder FILES = new Placeholder("fileserver", "File server (host name or IP address)",
            "Dateiserver (Hostname oder IP-Adresse)", "files.corp.local");

    static List<TunnelTemplate> all() {
        return List.of(
                TemplateDefinition.builder("ldap", TemplateCategory.DIRECTORY)
                        .title("Active Directory (LDAP)", "Active Directory (LDAP)")
                        .description("This machine reaches the domain controller's LDAP port at 127.0.0.1:1389.",
                                "Dieser Rechner erreicht den LDAP-Port des Domänencontrollers unter 127.0.0.1:1389.")
                        .mapping(toPlaceholder(L, false, 1389, DC, 389, "LDAP", "ldap")).build(),
                TemplateDefinition.builder("ldaps", TemplateCategory.DIRECTORY)
                        .title("Active Directory (LDAPS)", "Active Directory (LDAPS)")
                        .description("This machine reaches the domain controller's LDAP over TLS at 127.0.0.1:1636.",
                                "Dieser Rechner erreicht LDAP über TLS des Domänencontrollers unter 127.0.0.1:1636.")
                        .mapping(toPlaceholder(L, false, 1636, DC, 636, "LDAPS", "ldaps")).build(),
                TemplateDefinition.builder("ldap-gc", TemplateCategory.DIRECTORY)
                        .title("Active Directory Global Catalog", "Active Directory Globaler Katalog")
                        .description("This machine reaches the Global Catalog of the forest (3268, and 3269 over TLS).",
                                "Dieser Rechner erreicht den Globalen Katalog der Gesamtstruktur (3268, und 3269 über TLS).")
                        .mapping(toPlaceholder(L, false, 3268, DC, 3268, "Global Catalog", "ldap-gc"))
                        .mapping(toPlaceholder(L, false, 3269, DC, 3269, "Global Catalog (TLS)", "ldap-gc")).build(),
                TemplateDefinition.builder("mssql", TemplateCategory.DATABASE)
                        .title("Microsoft SQL Server", "Microsoft SQL Server")
                        .description("This machine reaches the SQL Server at 127.0.0.1:1433.",
                                "Dieser Rechner erreicht den SQL-Server unter 127.0.0.1:1433.")
                        .mapping(toPlaceholder(L, false, 1433, SQL, 1433, "SQL Server", "mssql")).build(),
                TemplateDefinition.builder("mysql", TemplateCategory.DATABASE)
                        .title("MySQL / MariaDB", "MySQL / MariaDB")
                        .description("This machine reaches the MySQL or MariaDB server at 127.0.0.1:3306.",
                                "Dieser Rechner erreicht den MySQL- oder MariaDB-Server unter 127.0.0.1:3306.")
                        .mapping(toPlaceholder(L, false, 3306, DB, 3306, "MySQL", "mysql")).build(),
                TemplateDefinition.builder("postgresql", TemplateCategory.DATABASE)
                        .title("PostgreSQL", "PostgreSQL")
                        .description("This machine reaches the PostgreSQL server at 127.0.0.1:5432.",
                                "Dieser Rechner erreicht den PostgreSQL-Server unter 127.0.0.1:5432.")
                        .mapping(toPlaceholder(L, false, 5432, DB, 5432, "PostgreSQL", "postgresql")).build(),
                TemplateDefinition.builder("metadirectory", TemplateCategory.DIRECTORY)
                        .title("estos MetaDirectory", "estos MetaDirectory")
                        .description("This machine and the phones in its subnet reach the MetaDirectory on port 1712 of this"
                                + " machine: a gateway, so third parties can use it.",
                                "Dieser Rechner und die Telefone in seinem Subnetz erreichen das MetaDirectory über Port 1712"
                                + " dieses Rechners: ein Gateway, das auch Dritte nutzen können.")
                        .mapping(toPlaceholder(L, true, 1712, MD, 1712, "MetaDirectory", "metadirectory")).build(),
                TemplateDefinition.builder("smb", TemplateCategory.FILES)
                        .title("SMB share (backups, call recordings)", "SMB-Freigabe (Sicherungen, Gesprächsaufzeichnungen)")
                        .description("This machine reaches the file server's SMB share at 127.0.0.1:1445 (port 445 would need"
                                + " root here).",
                                "Dieser Rechner erreicht die SMB-Freigabe des Dateiservers unter 127.0.0.1:1445 (Port 445"
                                + " bräuchte hier Root-Rechte).")
                        .mapping(toPlaceholder(L, false, 1445, FILES, 445, "SMB", "smb")).build(),
                TemplateDefinition.builder("prometheus", TemplateCategory.MONITORING)
                        .title("Prometheus exporters", "Prometheus-Exporter")
                        .description("The customer's Prometheus scrapes this machine's exporters (9100, 9999) through ports of"
                                + " the SSH server: a gateway, so third parties can use it (the server needs GatewayPorts).",
                                "Das Prometheus des Kunden liest die Exporter dieses Rechners (9100, 9999) über Ports des"
                                + " SSH-Servers: ein Gateway, das auch Dritte nutzen können (der Server braucht GatewayPorts).")
                        .mapping(fixed(R, true, 9100, "localhost", 9100, "node exporter", "prometheus"))
                        .mapping(fixed(R, true, 9999, "localhost", 9999, "exporter", "prometheus")).build(),
                TemplateDefinition.builder("ssh-console", TemplateCategory.REMOTE_ACCESS)
                        .title("SSH console of this machine", "SSH-Konsole dieses Rechners")
                        .description("The SSH server itself reaches this machine's SSH console at its port 2222.",
                                "Der SSH-Server selbst erreicht die SSH-Konsole dieses Rechners über seinen Port 2222.")
                        .mapping(fixed(R, false, 2222, "localhost", 22, "SSH console", "ssh-console")).build(),
                TemplateDefinition.builder("ami", TemplateCategory.TELEPHONY)
                        .title("Asterisk Manager Interface (AMI)", "Asterisk Manager Interface (AMI)")
                        .description("The SSH server itself reaches this machine's Asterisk Manager Interface at its port 5038.",
                                "Der SSH-Server selbst erreicht das Asterisk Manager Interface dieses Rechners über seinen Port 5038.")
                        .mapping(fixed(R, false, 5038, "localhost", 5038, "AMI", "ami")).build(),
                TemplateDefinition.builder("openfire", TemplateCategory.TELEPHONY)
                        .title("Openfire administration", "Openfire-Administration")
                        .description("The SSH server itself reaches this machine's Openfire admin console at its port 9090.",
                                "Der SSH-Server selbst erreicht die Openfire-Administration dieses Rechners über seinen Port 9090.")
                        .mapping(fixed(R, false, 9090, "localhost", 9090, "Openfire admin", "openfire")).build(),
                TemplateDefinition.builder("checkmk", TemplateCategory.MONITORING)
                        .title("Check_MK agent", "Check_MK-Agent")
                        .description("The SSH server itself reaches this machine's Check_MK agent at its port 6556.",
                                "Der SSH-Server selbst erreicht den Check_MK-Agenten dieses Rechners über seinen Port 6556.")
                        .mapping(fixed(R, false, 6556, "localhost", 6556, "Check_MK agent", "checkmk")).build());
    }
}
