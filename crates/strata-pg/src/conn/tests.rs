//! Unit tests for parsing, environment defaults and redaction (no server needed; the
//! connection behaviour is tested against real servers in `tests/conn.rs` and
//! `tests/tls.rs`).

use std::collections::HashMap;

use super::*;

fn env_from(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |k| map.get(k).cloned()
}

fn parse(s: &str) -> ConnInfo {
    ConnInfo::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// What a parsed string should hold; `None` fields are not checked.
#[derive(Default)]
struct Expect {
    hosts: &'static [&'static str],
    ports: &'static [Option<u16>],
    user: Option<&'static str>,
    password: Option<&'static str>,
    dbname: Option<&'static str>,
    sslmode: Option<SslMode>,
    extra: &'static [(&'static str, &'static str)],
}

fn check(input: &str, expect: &Expect) {
    let info = parse(input);
    let hosts: Vec<&str> = info.hosts.iter().map(String::as_str).collect();
    assert_eq!(hosts, expect.hosts, "hosts of {input}");
    assert_eq!(info.ports, expect.ports, "ports of {input}");
    assert_eq!(info.user.as_deref(), expect.user, "user of {input}");
    assert_eq!(
        info.password.as_deref(),
        expect.password,
        "password of {input}"
    );
    assert_eq!(info.dbname.as_deref(), expect.dbname, "dbname of {input}");
    assert_eq!(info.sslmode, expect.sslmode, "sslmode of {input}");
    let url = info.redacted();
    for (key, value) in expect.extra {
        let needle = format!("{key}={}", parse::encode(value));
        assert!(url.contains(&needle), "{input}: {needle} not in {url}");
    }
}

#[test]
fn urls() {
    let cases: Vec<(&str, Expect)> = vec![
        (
            "postgres://alice:s3cret@db.example.com:5433/app",
            Expect {
                hosts: &["db.example.com"],
                ports: &[Some(5433)],
                user: Some("alice"),
                password: Some("s3cret"),
                dbname: Some("app"),
                ..Expect::default()
            },
        ),
        (
            "postgresql://db.example.com/app",
            Expect {
                hosts: &["db.example.com"],
                ports: &[],
                dbname: Some("app"),
                ..Expect::default()
            },
        ),
        ("postgres://", Expect::default()),
        (
            "POSTGRES://h",
            Expect {
                hosts: &["h"],
                ports: &[],
                ..Expect::default()
            },
        ),
        (
            // Percent-encoding everywhere, including '@', ':' and '/' in the password.
            "postgres://us%40er:p%40ss%3Aw%2Ford%25@h/my%20db",
            Expect {
                hosts: &["h"],
                ports: &[],
                user: Some("us@er"),
                password: Some("p@ss:w/ord%"),
                dbname: Some("my db"),
                ..Expect::default()
            },
        ),
        (
            // An unencoded '@' in the password: the last '@' ends the user part.
            "postgres://bob:a@b@h:1/d",
            Expect {
                hosts: &["h"],
                ports: &[Some(1)],
                user: Some("bob"),
                password: Some("a@b"),
                dbname: Some("d"),
                ..Expect::default()
            },
        ),
        (
            "postgres://h1:5432,h2,[::1]:6000/d?target_session_attrs=read-write",
            Expect {
                hosts: &["h1", "h2", "::1"],
                ports: &[Some(5432), None, Some(6000)],
                dbname: Some("d"),
                extra: &[("target_session_attrs", "read-write")],
                ..Expect::default()
            },
        ),
        (
            // Neon's form.
            "postgresql://neondb_owner:npg_x@ep-cool-1-pooler.us-east-2.aws.neon.tech/neondb?sslmode=require&channel_binding=require",
            Expect {
                hosts: &["ep-cool-1-pooler.us-east-2.aws.neon.tech"],
                ports: &[],
                user: Some("neondb_owner"),
                password: Some("npg_x"),
                dbname: Some("neondb"),
                sslmode: Some(SslMode::Require),
                extra: &[("channel_binding", "require")],
            },
        ),
        (
            "postgres://u@h/d?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&application_name=my%20app&connect_timeout=5&options=-c%20search_path%3Dapp",
            Expect {
                hosts: &["h"],
                ports: &[],
                user: Some("u"),
                dbname: Some("d"),
                sslmode: Some(SslMode::VerifyFull),
                extra: &[
                    ("sslrootcert", "/etc/ca.pem"),
                    ("application_name", "my app"),
                    ("connect_timeout", "5"),
                    ("options", "-c search_path=app"),
                ],
                ..Expect::default()
            },
        ),
        (
            // Unix sockets: an encoded path as the host, or host= in the query.
            "postgresql://%2Fvar%2Frun%2Fpostgresql/d",
            Expect {
                hosts: &["/var/run/postgresql"],
                ports: &[],
                dbname: Some("d"),
                ..Expect::default()
            },
        ),
        (
            "postgresql:///d?host=/tmp/sock&port=5555",
            Expect {
                hosts: &["/tmp/sock"],
                ports: &[Some(5555)],
                dbname: Some("d"),
                ..Expect::default()
            },
        ),
        (
            // Query parameters override the authority part, as in libpq.
            "postgres://u@h:1/d?dbname=other&user=v",
            Expect {
                hosts: &["h"],
                ports: &[Some(1)],
                user: Some("v"),
                dbname: Some("other"),
                ..Expect::default()
            },
        ),
        (
            "postgres://h/d?ssl=true",
            Expect {
                hosts: &["h"],
                ports: &[],
                dbname: Some("d"),
                sslmode: Some(SslMode::Require),
                ..Expect::default()
            },
        ),
    ];
    for (input, expect) in &cases {
        check(input, expect);
    }
}

/// SQLAlchemy's and JDBC's spellings of the same connection, each with a note.
#[test]
fn sqlalchemy_and_jdbc_urls() {
    let cases: Vec<(&str, Expect, &str)> = vec![
        (
            "postgresql+psycopg://alice:s3%2Fcret@db:5433/app?sslmode=require",
            Expect {
                hosts: &["db"],
                ports: &[Some(5433)],
                user: Some("alice"),
                password: Some("s3/cret"),
                dbname: Some("app"),
                sslmode: Some(SslMode::Require),
                ..Expect::default()
            },
            "postgresql+psycopg://",
        ),
        (
            "postgresql+asyncpg://alice@db/app?ssl=verify-full",
            Expect {
                hosts: &["db"],
                user: Some("alice"),
                dbname: Some("app"),
                sslmode: Some(SslMode::VerifyFull),
                ..Expect::default()
            },
            "postgresql+asyncpg://",
        ),
        (
            "POSTGRESQL+PSYCOPG2://db/app",
            Expect {
                hosts: &["db"],
                dbname: Some("app"),
                ..Expect::default()
            },
            "postgresql+psycopg2://",
        ),
        (
            "jdbc:postgresql://db:5432/app?user=alice&password=p/w?x&ssl=true&ApplicationName=svc&socketTimeout=30",
            Expect {
                hosts: &["db"],
                ports: &[Some(5432)],
                user: Some("alice"),
                password: Some("p/w?x"),
                dbname: Some("app"),
                sslmode: Some(SslMode::Require),
                extra: &[("application_name", "svc")],
            },
            "ignored the Java driver's own parameter(s) socketTimeout",
        ),
        (
            "jdbc:postgresql://db/app?password=a&b=c@d&user=alice",
            Expect {
                hosts: &["db"],
                user: Some("alice"),
                password: Some("a&b=c@d"),
                dbname: Some("app"),
                ..Expect::default()
            },
            "jdbc:postgresql://",
        ),
        (
            "jdbc:postgresql:app",
            Expect {
                dbname: Some("app"),
                ..Expect::default()
            },
            "jdbc:postgresql://",
        ),
    ];
    for (input, expect, note) in &cases {
        check(input, expect);
        let notes = parse(input).notes().join("\n");
        assert!(notes.contains(note), "{input}: {note:?} not in {notes:?}");
    }
    assert!(parse("postgres://db/app").notes().is_empty());
}

#[test]
fn keyword_value_strings() {
    let cases: Vec<(&str, Expect)> = vec![
        (
            "host=localhost port=5432 dbname=mydb user=alice password=secret",
            Expect {
                hosts: &["localhost"],
                ports: &[Some(5432)],
                user: Some("alice"),
                password: Some("secret"),
                dbname: Some("mydb"),
                ..Expect::default()
            },
        ),
        (
            r"  host = h   password = 'it\'s a \\ secret'  dbname='my db' ",
            Expect {
                hosts: &["h"],
                password: Some(r"it's a \ secret"),
                dbname: Some("my db"),
                ..Expect::default()
            },
        ),
        (
            "host=a,b port=1,2 sslmode=verify-ca",
            Expect {
                hosts: &["a", "b"],
                ports: &[Some(1), Some(2)],
                sslmode: Some(SslMode::VerifyCa),
                ..Expect::default()
            },
        ),
        (
            "password='' user=x",
            Expect {
                user: Some("x"),
                password: Some(""),
                ..Expect::default()
            },
        ),
        (
            r"password=a\ b",
            Expect {
                password: Some("a b"),
                ..Expect::default()
            },
        ),
        ("", Expect::default()),
        (
            "host=/var/run/postgresql requiressl=1",
            Expect {
                hosts: &["/var/run/postgresql"],
                sslmode: Some(SslMode::Require),
                ..Expect::default()
            },
        ),
    ];
    for (input, expect) in &cases {
        check(input, expect);
    }
}

#[test]
fn malformed_strings_are_typed_errors_without_the_password() {
    let secret = "Sup3r:s@cret'%";
    type Check = fn(&ConnError) -> bool;
    let cases: Vec<(String, Check)> = vec![
        (
            format!("postgres://u:{}@h/d?sslmod=require", parse::encode(secret)),
            |e| matches!(e, ConnError::UnknownParameter { key, suggestion } if key == "sslmod" && suggestion.as_deref() == Some("sslmode")),
        ),
        (
            format!(
                "host=h password='{}' frobnicate=1",
                secret.replace('\'', r"\'")
            ),
            |e| matches!(e, ConnError::UnknownParameter { key, suggestion: None } if key == "frobnicate"),
        ),
        (
            format!(
                "postgres://u:{}@h/d?sslmode=sometimes",
                parse::encode(secret)
            ),
            |e| matches!(e, ConnError::InvalidValue { key, .. } if key == "sslmode"),
        ),
        (
            format!("postgres://u:{}@h:99999/d", parse::encode(secret)),
            |e| matches!(e, ConnError::Syntax { reason } if reason.contains("port")),
        ),
        (
            format!("postgres://u:{}@h:abc/d", parse::encode(secret)),
            |e| matches!(e, ConnError::Syntax { reason } if reason.contains("port")),
        ),
        // A password with an unencoded `/` or `?`: its first half would be the "port".
        (
            "postgres://u:Sup3r/x@h/d".to_string(),
            |e| matches!(e, ConnError::Syntax { reason } if reason.contains("percent-encoded")),
        ),
        (
            "postgres://u:Sup3r?x@h/d".to_string(),
            |e| matches!(e, ConnError::Syntax { reason } if reason.contains("%3F")),
        ),
        (
            "postgres://u:Sup3r".to_string(),
            |e| matches!(e, ConnError::Syntax { reason } if reason.contains("user:PASSWORD@host")),
        ),
        (
            "u:Sup3r@h/d".to_string(),
            |e| matches!(e, ConnError::Syntax { reason } if reason.contains("without its scheme")),
        ),
        (
            "postgres:/u:Sup3r@h/d".to_string(),
            |e| matches!(e, ConnError::Syntax { reason } if reason.contains("postgres://")),
        ),
        (
            "pg://u:Sup3r@h/d".to_string(),
            |e| matches!(e, ConnError::Syntax { reason } if reason.contains("`pg://`")),
        ),
        (
            "host=h password:Sup3r".to_string(),
            |e| matches!(e, ConnError::Syntax { reason } if reason.contains("word 2")),
        ),
        (
            "postgres://u:bad%zzpassword@h/d".to_string(),
            |e| matches!(e, ConnError::Syntax { reason } if reason.contains("percent-encoding in the password")),
        ),
        (format!("password='{secret}"), |e| {
            matches!(e, ConnError::Syntax { .. })
        }),
        (
            format!("host=h password={secret} dbname"),
            |e| matches!(e, ConnError::Syntax { reason } if reason.contains("has no `=`")),
        ),
        (
            format!("mysql://u:{secret}@h/d"),
            |e| matches!(e, ConnError::Syntax { reason } if reason.contains("mysql://")),
        ),
        ("postgres://[::1/d".to_string(), |e| {
            matches!(e, ConnError::Syntax { .. })
        }),
        (
            "service=prod".to_string(),
            |e| matches!(e, ConnError::UnsupportedParameter { key, .. } if key == "service"),
        ),
        (
            "sslmode=require channel_binding=always".to_string(),
            |e| matches!(e, ConnError::InvalidValue { key, .. } if key == "channel_binding"),
        ),
    ];
    for (input, expected) in &cases {
        let error = match ConnInfo::parse(input) {
            Ok(info) => panic!("{input} parsed: {info:?}"),
            Err(e) => e,
        };
        assert!(expected(&error), "{input}: unexpected error {error:?}");
        let message = error.to_string();
        assert!(!message.contains(secret), "password in {message:?}");
        assert!(!message.contains("Sup3r"), "password in {message:?}");
        assert!(
            !format!("{error:?}").contains("Sup3r"),
            "password in {error:?}"
        );
    }
}

#[test]
fn redaction_hides_passwords_everywhere() {
    for password in [
        "s3cret",
        "p@ss:w/ord",
        "ünïcödé",
        "a'b\"c\\d",
        "%41",
        "****x",
    ] {
        let url = format!(
            "postgres://alice:{}@h:5432/db?sslmode=require",
            parse::encode(password)
        );
        let info = parse(&url);
        assert_eq!(info.password.as_deref(), Some(password));
        for shown in [info.to_string(), format!("{info:?}"), info.redacted()] {
            assert!(!shown.contains(password), "{password:?} in {shown}");
            assert!(
                !shown.contains(&parse::encode(password)),
                "{password:?} in {shown}"
            );
            assert!(shown.contains("****"), "{shown}");
        }
        assert_eq!(
            info.redacted(),
            "postgres://alice:****@h:5432/db?sslmode=require"
        );
    }
    let kv = parse("host=h user=u password='x y z' dbname=d");
    assert_eq!(kv.redacted(), "postgres://u:****@h/d");
    let none = parse("postgres://u@h/d");
    assert_eq!(none.redacted(), "postgres://u@h/d");
}

#[test]
fn redacted_urls_parse_back_to_the_same_parameters() {
    for input in [
        "postgres://u:pw@h1:1,h2:2/d?sslmode=verify-full&sslrootcert=%2Fx%2Fca.pem&channel_binding=require",
        "host=/tmp/sock port=5555 dbname=d user=u application_name='my app' connect_timeout=7",
        "postgres://u@[::1]:5432/d?options=-c%20a%3Db&target_session_attrs=read-only&keepalives=0",
        "hostaddr=127.0.0.1 host=db.local port=5432 sslmode=prefer load_balance_hosts=random",
    ] {
        let mut info = parse(input);
        let back = parse(&info.redacted());
        // The password is replaced, so compare everything else.
        if info.password.is_some() {
            info.password = Some("****".into());
        }
        assert_eq!(back, info, "{input} -> {}", info.redacted());
    }
}

#[test]
fn environment_fills_what_the_string_leaves_out() {
    let env = env_from(&[
        ("PGHOST", "envhost"),
        ("PGPORT", "6000"),
        ("PGUSER", "envuser"),
        ("PGPASSWORD", "envpw"),
        ("PGDATABASE", "envdb"),
        ("PGSSLMODE", "verify-ca"),
        ("PGSSLROOTCERT", "/ca.pem"),
        ("PGCHANNELBINDING", "require"),
        ("PGAPPNAME", "app"),
        ("PGCONNECT_TIMEOUT", "3"),
    ]);
    let info = ConnInfo::from_env_or_with(Some("postgres://urluser@urlhost/urldb"), &env)
        .expect("resolve");
    assert_eq!(info.hosts, ["urlhost"]);
    assert_eq!(info.user(), Some("urluser"));
    assert_eq!(info.dbname(), Some("urldb"));
    assert_eq!(info.ports, [Some(6000)]);
    assert_eq!(info.password.as_deref(), Some("envpw"));
    assert_eq!(info.sslmode(), SslMode::VerifyCa);
    assert_eq!(info.sslrootcert.as_deref(), Some("/ca.pem"));
    assert_eq!(info.channel_binding(), ChannelBinding::Require);
    assert_eq!(info.application_name.as_deref(), Some("app"));
    assert_eq!(info.connect_timeout, Some(Some(Duration::from_secs(3))));

    let only_env = ConnInfo::from_env_or_with(None, &env).expect("resolve");
    assert_eq!(only_env.hosts, ["envhost"]);
    assert_eq!(only_env.user(), Some("envuser"));
    assert_eq!(only_env.dbname(), Some("envdb"));
}

#[test]
fn database_url_is_used_when_no_url_is_given() {
    let env = env_from(&[
        ("DATABASE_URL", "postgres://d@dbhost/dburl"),
        ("PGHOST", "pghost"),
    ]);
    let info = ConnInfo::from_env_or_with(None, &env).expect("resolve");
    assert_eq!(info.hosts, ["dbhost"]);
    assert_eq!(info.dbname(), Some("dburl"));
    let explicit = ConnInfo::from_env_or_with(Some("postgres://x/y"), &env).expect("resolve");
    assert_eq!(explicit.hosts, ["x"]);
    // An empty DATABASE_URL counts as unset.
    let empty = env_from(&[("DATABASE_URL", " "), ("PGHOST", "pghost")]);
    let info = ConnInfo::from_env_or_with(None, &empty).expect("resolve");
    assert_eq!(info.hosts, ["pghost"]);
}

#[test]
fn bad_environment_values_name_the_variable() {
    let env = env_from(&[("PGSSLMODE", "maybe")]);
    let error = ConnInfo::from_env_or_with(Some("postgres://h/d"), &env).expect_err("bad env");
    assert!(
        matches!(&error, ConnError::InvalidValue { key, .. } if key == "PGSSLMODE"),
        "{error:?}"
    );
    assert!(error.to_string().contains("PGSSLMODE"), "{error}");
}

#[test]
fn pgpass_is_read_from_home_or_pgpassfile() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let home = dir.path().join("home");
    std::fs::create_dir(&home).expect("mkdir");
    let pgpass = home.join(".pgpass");
    std::fs::write(&pgpass, "h:5432:d:u:frompgpass\n").expect("write");
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let home_str = home.to_str().expect("utf-8");
    let env = env_from(&[("HOME", home_str)]);
    let info = ConnInfo::from_env_or_with(Some("postgres://u@h/d"), &env).expect("resolve");
    assert_eq!(info.pgpass.len(), 1);
    assert!(info.warnings().is_empty(), "{:?}", info.warnings());
    assert!(!format!("{info:?}").contains("frompgpass"));
    assert!(!info.to_string().contains("frompgpass"));

    // PGPASSFILE wins over ~/.pgpass; a world-readable one is ignored with a warning.
    let other = dir.path().join("other");
    std::fs::write(&other, "*:*:*:*:other\n").expect("write");
    std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let env = env_from(&[
        ("HOME", home_str),
        ("PGPASSFILE", other.to_str().expect("utf-8")),
    ]);
    let info = ConnInfo::from_env_or_with(Some("postgres://u@h/d"), &env).expect("resolve");
    assert!(info.pgpass.is_empty());
    assert_eq!(info.warnings().len(), 1, "{:?}", info.warnings());
    assert!(
        info.warnings()[0].contains("group or world"),
        "{:?}",
        info.warnings()
    );

    // A password in the URL means the file is not consulted at all.
    let env = env_from(&[("HOME", home_str)]);
    let info = ConnInfo::from_env_or_with(Some("postgres://u:pw@h/d"), &env).expect("resolve");
    assert!(info.pgpass.is_empty());
}

#[test]
fn pooler_detection_and_warning() {
    let cases = [
        (
            "postgres://u@ep-cool-1-pooler.us-east-2.aws.neon.tech/db",
            true,
        ),
        (
            "postgres://u@aws-0-eu.pooler.supabase.com:6543/postgres",
            true,
        ),
        (
            "postgres://u@aws-0-eu.pooler.supabase.com:5432/postgres",
            false,
        ),
        ("postgres://u@ep-cool-1.us-east-2.aws.neon.tech/db", false),
        ("host=a,b-pooler port=5432", true),
    ];
    for (url, pooler) in cases {
        let info = parse(url);
        assert_eq!(info.is_transaction_pooler(), pooler, "{url}");
        assert_eq!(info.session_state_warning().is_some(), pooler, "{url}");
    }
    let neon = parse("postgres://u:pw@ep-cool-1-pooler.us-east-2.aws.neon.tech/db");
    let warning = session_state_warning(&neon).expect("warning");
    assert!(
        warning.contains(
            "this operation needs session state (advisory locks, migrations); use the direct \
             URL (host without -pooler"
        ),
        "{warning}"
    );
    assert!(
        warning.contains("ep-cool-1.us-east-2.aws.neon.tech"),
        "{warning}"
    );
    assert!(!warning.contains("pw@"), "{warning}");
    let supabase = parse("postgres://u@db.example:6543/postgres");
    assert!(
        supabase
            .session_state_warning()
            .is_some_and(|w| w.contains("port 5432")),
    );
}

#[test]
fn sslmode_defaults_follow_libpq() {
    assert_eq!(parse("host=h").sslmode(), SslMode::Prefer);
    assert_eq!(
        parse("host=h sslrootcert=system").sslmode(),
        SslMode::VerifyFull
    );
    assert_eq!(
        parse("host=h sslrootcert=system sslmode=require")
            .connect()
            .map(|_| ()),
        Err(ConnError::InvalidValue {
            key: "sslmode".into(),
            value: "require".into(),
            expected: "verify-full when sslrootcert=system".into(),
        })
    );
    assert_eq!(
        parse("host=h sslmode=disable channel_binding=require")
            .connect()
            .map(|_| ()),
        Err(ConnError::ChannelBindingNeedsTls)
    );
}

#[test]
fn verification_without_a_root_file_says_how_to_fix_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let env = env_from(&[("HOME", dir.path().to_str().expect("utf-8"))]);
    let info =
        ConnInfo::from_env_or_with(Some("postgres://h/d?sslmode=verify-full"), &env).expect("ok");
    let error = info.connect().map(|_| ()).expect_err("no root.crt");
    let message = error.to_string();
    assert!(message.contains(".postgresql/root.crt"), "{message}");
    assert!(message.contains("sslrootcert=system"), "{message}");
    let missing = parse("postgres://h/d?sslmode=verify-ca&sslrootcert=/nonexistent/ca.pem");
    let error = missing.connect().map(|_| ()).expect_err("missing file");
    assert!(error.to_string().contains("/nonexistent/ca.pem"), "{error}");
}
