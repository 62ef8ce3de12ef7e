//! The authorization matrix: every route of the router, read and write, pages and API, asked by
//! each kind of person of the demo collège, and the status each one must get. The routes are
//! read from the router's source, so a new route cannot ship without its row.

use std::collections::BTreeSet;
use std::path::Path;

use preau_tests::{csrf_of, html_of, Client, Server, StatusCode, DEMO_PASSWORD};
use reqwest::blocking::multipart::{Form, Part};
use reqwest::header::{CONTENT_TYPE, LOCATION};
use reqwest::Method;
use serde_json::{json, Value};

/// Who asks, in the order of the table's columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Subject {
    Anonymous,
    /// eleve.demo, of 4B.
    Pupil,
    /// An active pupil of 3A.
    PupilOfAnotherClass,
    /// parent.demo, parent of eleve.demo.
    ParentOf,
    /// An active parent of the pupil of 3A, with no child in 4B.
    ParentNotOf,
    /// enseignant.demo: maths in 4B, its professeur principal.
    TeacherOf,
    /// A teacher of neither 4B nor any group of its pupils.
    TeacherNotOf,
    VieScolaire,
    Direction,
    /// admin.demo.
    Administrator,
}

const SUBJECTS: [Subject; 10] = [
    Subject::Anonymous,
    Subject::Pupil,
    Subject::PupilOfAnotherClass,
    Subject::ParentOf,
    Subject::ParentNotOf,
    Subject::TeacherOf,
    Subject::TeacherNotOf,
    Subject::VieScolaire,
    Subject::Direction,
    Subject::Administrator,
];

impl Subject {
    fn label(self) -> &'static str {
        match self {
            Subject::Anonymous => "anonymous",
            Subject::Pupil => "pupil (4B)",
            Subject::PupilOfAnotherClass => "pupil of another class",
            Subject::ParentOf => "parent of",
            Subject::ParentNotOf => "parent not of",
            Subject::TeacherOf => "teacher of 4B",
            Subject::TeacherNotOf => "teacher not of 4B",
            Subject::VieScolaire => "vie scolaire",
            Subject::Direction => "direction",
            Subject::Administrator => "administrator",
        }
    }
}

/// What a subject must get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Status(u16),
    /// `303` to `/connexion?suite=…`: a page sends an anonymous visitor to sign in.
    SignIn,
    /// `303` to this address (or to it with a query).
    SeeOther(&'static str),
}

const S200: Expect = Expect::Status(200);
const S204: Expect = Expect::Status(204);
const S400: Expect = Expect::Status(400);
const S401: Expect = Expect::Status(401);
const S403: Expect = Expect::Status(403);
const S404: Expect = Expect::Status(404);
const S409: Expect = Expect::Status(409);
const S422: Expect = Expect::Status(422);
const LOGIN: Expect = Expect::SignIn;
const HOME: Expect = Expect::SeeOther("/");
const GOODBYE: Expect = Expect::SeeOther("/connexion?au-revoir=1");
const LIBRARY: Expect = Expect::SeeOther("/ressources");
const S303: Expect = Expect::Status(303);
const AGENDA: Expect = Expect::SeeOther("/agenda");
const NEWS: Expect = Expect::SeeOther("/actualites");
const TODO: Expect = Expect::SeeOther("/cahier-de-textes/a-faire");
const SESSIONS: Expect = Expect::SeeOther("/cahier-de-textes/seances");
const CLASS_LOGBOOK: Expect = Expect::SeeOther("/cahier-de-textes/classe");
const INBOX: Expect = Expect::SeeOther("/messagerie");
/// Who holds [`At::Message`]: the parents of 4B and its sender.
const HOLDERS: [Expect; 10] = [LOGIN, S404, S404, S200, S404, S200, S404, S404, S404, S404];

impl Expect {
    /// The status (and the address of a redirect) as expected, and a refusal in the shape of
    /// its route: the French error page for a page, the JSON error for the API.
    fn holds(self, got: &Got, refusal: Option<Shape>) -> bool {
        let location = got.location.as_deref().unwrap_or_default();
        match self {
            Expect::Status(status) if status >= 400 => {
                got.status == status && refusal.is_none_or(|shape| got.shape == shape)
            }
            Expect::Status(status) => got.status == status,
            Expect::SignIn => got.status == 303 && location.starts_with("/connexion?suite="),
            Expect::SeeOther(to) => {
                got.status == 303 && (location == to || location.starts_with(&format!("{to}?")))
            }
        }
    }

    fn describe(self) -> String {
        match self {
            Expect::Status(status) => status.to_string(),
            Expect::SignIn => "303 → /connexion?suite=…".to_owned(),
            Expect::SeeOther(to) => format!("303 → {to}"),
        }
    }
}

/// What an answer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// An HTML page in French.
    FrenchPage,
    /// `{"error":{"code":…,"message":…}}`.
    JsonError,
    Other,
}

/// What a subject got.
struct Got {
    status: u16,
    location: Option<String>,
    shape: Shape,
}

impl Got {
    fn of(response: reqwest::blocking::Response) -> Self {
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        let (status, location) = (response.status().as_u16(), header(LOCATION));
        let media_type = header(CONTENT_TYPE).unwrap_or_default();
        // A stream of events never ends: its status and head are the answer.
        let body = if media_type.starts_with("text/event-stream") {
            String::new()
        } else {
            response.text().unwrap_or_default()
        };
        let shape = if media_type.starts_with("text/html") && body.contains("lang=\"fr\"") {
            Shape::FrenchPage
        } else if serde_json::from_str::<Value>(&body)
            .is_ok_and(|json| json["error"]["code"].is_string())
        {
            Shape::JsonError
        } else {
            Shape::Other
        };
        Self {
            status,
            location,
            shape,
        }
    }

    fn describe(&self) -> String {
        match (&self.location, self.shape) {
            (Some(location), _) => format!("{} → {location}", self.status),
            (None, Shape::FrenchPage) if self.status >= 400 => format!("{} (page)", self.status),
            (None, Shape::JsonError) if self.status >= 400 => format!("{} (JSON)", self.status),
            (None, _) => self.status.to_string(),
        }
    }
}

/// The object a route's parameters name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum At {
    /// The route has no parameter.
    Route,
    /// eleve.demo's id.
    Pupil,
    UnknownPerson,
    /// eleve.demo's login.
    PupilLogin,
    /// A pupil of 5A who is none of the subjects: the account whose password is reset.
    SpareLogin,
    UnknownLogin,
    /// 4B.
    Class,
    UnknownClass,
    /// A link of enseignant.demo, published to 4B.
    Published,
    /// A draft of enseignant.demo.
    Draft,
    /// An image of enseignant.demo, published to 4B.
    File,
    UnknownResource,
    /// A link of enseignant.demo published to 4B, made for this one request: for deletions.
    OwnResource,
    /// A demo package's signed address, as its page gives it.
    Package,
    /// The same address with its signature altered.
    ForgedPackage,
    /// A session of 4B in the week of 30 November 2026 (`<course>-<yyyymmdd>`).
    Session,
    /// The week of 30 November 2026 of 4B, as the timetable API's query.
    ClassWeek,
    /// A maths session of 4B by enseignant.demo in that week, whose cahier de textes the
    /// fixtures fill (a document, a homework to hand in, eleve.demo's hand-in).
    LogbookSession,
    /// Another such session, emptied by the write row that acts.
    SpareSession,
    /// The document of [`At::LogbookSession`]'s entry.
    Attachment,
    /// The homework of [`At::LogbookSession`]'s entry.
    Homework,
    /// eleve.demo's hand-in for it, as the teacher opens it.
    HandInOf,
    /// 4B's cahier de textes, week of 30 November 2026, as the page's query.
    ClassLogbook,
    /// December 2026, as the homework API's query.
    HomeworkMonth,
    /// The same for 4B.
    ClassHomework,
    /// An agenda event for 4B by admin.demo.
    Event,
    /// Another one, made for this one request: for deletions.
    OwnEvent,
    /// A news item for 4B by admin.demo, with a picture.
    News,
    /// Another one, made for this one request: for removals.
    OwnNews,
    /// A message of enseignant.demo to the parents of 4B, with a document attached.
    Message,
    /// Its document.
    MessageAttachment,
    /// Another one, made for this one request: for the trash.
    OwnMessage,
    /// A backup's file name that no backup has.
    UnknownBackup,
}

/// The body of a request.
#[derive(Clone, Copy, Debug)]
enum Body {
    Empty,
    Json(&'static str),
    Form(&'static [(&'static str, &'static str)]),
    /// A multipart form with one text field and no file.
    Multipart,
}

struct Row {
    method: &'static str,
    /// The path exactly as the router registers it.
    route: &'static str,
    at: At,
    body: Body,
    /// Each signed-in subject asks with a session opened for this request alone (the request
    /// ends it).
    fresh_session: bool,
    /// In the order of [`SUBJECTS`].
    expect: [Expect; 10],
}

fn row(method: &'static str, route: &'static str, expect: [Expect; 10]) -> Row {
    Row {
        method,
        route,
        at: At::Route,
        body: Body::Empty,
        fresh_session: false,
        expect,
    }
}

impl Row {
    fn at(self, at: At) -> Self {
        Self { at, ..self }
    }

    fn json(self, json: &'static str) -> Self {
        Self {
            body: Body::Json(json),
            ..self
        }
    }

    fn form(self, fields: &'static [(&'static str, &'static str)]) -> Self {
        Self {
            body: Body::Form(fields),
            ..self
        }
    }

    fn multipart(self) -> Self {
        Self {
            body: Body::Multipart,
            ..self
        }
    }

    fn fresh_session(self) -> Self {
        Self {
            fresh_session: true,
            ..self
        }
    }

    /// API routes are asked with a bearer token, pages with the session cookie.
    fn is_api(&self) -> bool {
        self.route.starts_with("/api/")
    }

    /// How a refusal must look: JSON for the API and the view the page fetches, the French error
    /// page for pages; a package's answers are the package's own.
    fn refusal(&self) -> Option<Shape> {
        if self.route.starts_with("/paquets/") || self.route.starts_with("/agenda/") {
            None
        } else if self.is_api() || self.route == "/ressources.json" {
            Some(Shape::JsonError)
        } else {
            Some(Shape::FrenchPage)
        }
    }
}

fn everyone(expect: Expect) -> [Expect; 10] {
    [expect; 10]
}

fn signed_in(anonymous: Expect, signed_in: Expect) -> [Expect; 10] {
    let mut all = [signed_in; 10];
    all[0] = anonymous;
    all
}

fn admin_only(anonymous: Expect, administrator: Expect) -> [Expect; 10] {
    let mut all = signed_in(anonymous, S403);
    all[9] = administrator;
    all
}

/// The table. Columns, in the order of [`SUBJECTS`]: anonymous, pupil (4B), pupil of another
/// class, parent of, parent not of, teacher of 4B, teacher not of 4B, vie scolaire, direction,
/// administrator. Writes are sent with an empty or invalid body wherever that is enough for the
/// permission to be decided, so that an allowed subject gets a validation error (400, 422) and
/// nothing changes; the writes that cannot be made harmless come last, each on its own object
/// or session, so that no row changes what another row expects.
#[rustfmt::skip]
fn matrix() -> Vec<Row> {
    use At::*;
    // The resource published to 4B, as pupils, parents and teachers meet it.
    let published_read = |anonymous| [anonymous, S200, S404, S200, S404, S200, S404, S200, S200, S200];
    // Changing it: its author and the administrator; those who see it without being allowed to
    // change it are refused (403), those who do not see it find nothing (404).
    let published_edit = |anonymous, allowed| [anonymous, S403, S404, S403, S404, allowed, S404, S403, S403, allowed];
    // A draft: its author and the administrator only, vie scolaire and direction included.
    let draft = |anonymous, allowed| [anonymous, S404, S404, S404, S404, allowed, S404, S404, S404, allowed];
    // Publishing: teachers, direction and administrators.
    let publish = |anonymous, allowed| [anonymous, S403, S403, S403, S403, allowed, allowed, S403, allowed, allowed];
    // 4B's timetable: its pupils, their parents, its teachers, the school's staff.
    let class_week = |anonymous| [anonymous, S200, S403, S200, S403, S200, S403, S200, S200, S200];
    // Managing the timetable: vie scolaire, direction and administrators.
    let timetable = |anonymous, allowed| [anonymous, S403, S403, S403, S403, S403, S403, allowed, allowed, allowed];
    // 4B's cahier de textes: its pupils, their parents, its teachers, vie scolaire, direction
    // and administrators; anyone else is refused.
    let logbook_read = |anonymous| [anonymous, S200, S403, S200, S403, S200, S403, S200, S200, S200];
    // Writing a session: its teacher only.
    let logbook_write = |anonymous, allowed| [anonymous, S403, S403, S403, S403, allowed, S403, S403, S403, S403];
    // A homework of 4B: readable like the cahier de textes, unknown to anyone else (404).
    let homework_read = |anonymous, allowed| [anonymous, allowed, S404, allowed, S404, allowed, S404, allowed, allowed, allowed];
    // Its hand-ins: the session's teacher; those who may read the homework are refused (403),
    // the others find nothing (404).
    let hand_ins = |anonymous, allowed| [anonymous, S403, S404, S403, S404, allowed, S404, S403, S403, S403];
    vec![
        // Open to everyone; a signed-in person asking for the sign-in page is sent home.
        row("GET", "/healthz", everyone(S200)),
        // From the box itself (these requests come from loopback); others need the token.
        row("GET", "/metrics", everyone(S200)),
        row("GET", "/connexion", signed_in(S200, HOME)),
        row("GET", "/activation", everyone(S200)),
        // The CAS server: login without a service is the sign-in; the validations are called
        // by the services' servers, without a session, and always answer 200 (the outcome is
        // inside; tests/tests/cas.rs checks each one).
        row("GET", "/cas/login", signed_in(LOGIN, HOME)),
        row("GET", "/cas/validate", everyone(S200)),
        row("GET", "/cas/serviceValidate", everyone(S200)),
        row("GET", "/cas/p3/serviceValidate", everyone(S200)),
        row("GET", "/cas/proxyValidate", everyone(S200)),
        row("GET", "/cas/p3/proxyValidate", everyone(S200)),
        row("GET", "/cas/proxy", everyone(S200)),
        // Any signed-in person.
        row("GET", "/", signed_in(LOGIN, S200)),
        row("GET", "/compte", signed_in(LOGIN, S200)),
        row("GET", "/api/v1/me", signed_in(S401, S200)),
        row("GET", "/ressources", signed_in(LOGIN, S200)),
        row("GET", "/ressources.json", signed_in(S401, S200)),
        row("GET", "/api/v1/resources", signed_in(S401, S200)),
        // Notifications: everyone has their own feed, and only that one (no route names another's).
        row("GET", "/notifications", signed_in(LOGIN, S200)),
        row("GET", "/api/v1/notifications", signed_in(S401, S200)),
        row("GET", "/api/v1/notifications/stream", signed_in(S401, S200)),
        row("POST", "/api/v1/notifications/seen", signed_in(S401, S204)),
        // Administration.
        row("GET", "/admin", admin_only(LOGIN, S200)),
        // The CAS registry: an empty form is refused (422) once the administrator is known, an
        // unknown id is not found; nothing changes.
        row("GET", "/admin/services", admin_only(LOGIN, S200)),
        row("POST", "/admin/services", admin_only(LOGIN, S422)).form(&[]),
        row("POST", "/admin/services/{id}/supprimer", admin_only(LOGIN, S404)).at(UnknownResource).form(&[]),
        row("POST", "/admin/liens", admin_only(LOGIN, S422)).form(&[]),
        row("POST", "/admin/liens/{id}/supprimer", admin_only(LOGIN, S404)).at(UnknownResource).form(&[]),
        // A service's logo: sent (multipart) and taken away by the administrator only; a form
        // without an image is refused (400); anyone signed in sees a logo (home tiles), and an
        // unknown service has none (404).
        row("POST", "/admin/services/{id}/logo", admin_only(LOGIN, S400)).at(UnknownResource).multipart(),
        row("POST", "/admin/services/{id}/logo/supprimer", admin_only(LOGIN, S404)).at(UnknownResource).form(&[]),
        row("GET", "/services/{id}/logo", signed_in(LOGIN, S404)).at(UnknownResource),
        row("GET", "/admin/fiches/{class}", admin_only(LOGIN, S200)).at(Class),
        row("GET", "/admin/annuaire", admin_only(LOGIN, S200)),
        row("GET", "/admin/sauvegardes", admin_only(LOGIN, S200)),
        row("GET", "/admin/sauvegardes/{name}", admin_only(LOGIN, S404)).at(UnknownBackup),
        row("GET", "/api/v1/admin/accounts", admin_only(S401, S200)),
        row("GET", "/api/v1/admin/accounts/{login}", admin_only(S401, S200)).at(PupilLogin),
        row("GET", "/api/v1/admin/accounts/{login}", admin_only(S401, S404)).at(UnknownLogin),
        // Class lists: closed to pupils and parents whatever the class; a teacher who does not
        // teach 4B learns no more than of a class that does not exist.
        row("GET", "/classes", [LOGIN, S403, S403, S403, S403, S200, S200, S200, S200, S200]),
        row("GET", "/classes/{code}", [LOGIN, S403, S403, S403, S403, S200, S404, S200, S200, S200]).at(Class),
        row("GET", "/classes/{code}", [LOGIN, S403, S403, S403, S403, S404, S404, S404, S404, S404]).at(UnknownClass),
        row("GET", "/api/v1/classes", [S401, S403, S403, S403, S403, S200, S200, S200, S200, S200]),
        row("GET", "/api/v1/classes/{code}/members", [S401, S403, S403, S403, S403, S200, S404, S200, S200, S200]).at(Class),
        row("GET", "/api/v1/classes/{code}/members", [S401, S403, S403, S403, S403, S404, S404, S404, S404, S404]).at(UnknownClass),
        // eleve.demo's card: herself, her parent, her teachers, the school's staff.
        row("GET", "/personnes/{id}", [LOGIN, S200, S404, S200, S404, S200, S404, S200, S200, S200]).at(Pupil),
        row("GET", "/personnes/{id}", signed_in(LOGIN, S404)).at(UnknownPerson),
        row("GET", "/api/v1/people/{id}", [S401, S200, S404, S200, S404, S200, S404, S200, S200, S200]).at(Pupil),
        row("GET", "/api/v1/people/{id}", signed_in(S401, S404)).at(UnknownPerson),
        // Resources.
        row("GET", "/ressources/{id}", published_read(LOGIN)).at(Published),
        row("GET", "/ressources/{id}", draft(LOGIN, S200)).at(Draft),
        row("GET", "/ressources/{id}", signed_in(LOGIN, S404)).at(UnknownResource),
        row("GET", "/api/v1/resources/{id}", published_read(S401)).at(Published),
        row("GET", "/api/v1/resources/{id}", draft(S401, S200)).at(Draft),
        row("GET", "/api/v1/resources/{id}", signed_in(S401, S404)).at(UnknownResource),
        row("GET", "/ressources/{id}/fichier", published_read(LOGIN)).at(File),
        // A package's address is its own permission: it never sees the session.
        row("GET", "/paquets/{token}/{*path}", everyone(S200)).at(Package),
        row("GET", "/paquets/{token}/{*path}", everyone(S404)).at(ForgedPackage),
        row("GET", "/ressources/nouvelle", publish(LOGIN, S200)),
        row("GET", "/ressources/import", publish(LOGIN, S200)),
        row("GET", "/ressources/{id}/modifier", published_edit(LOGIN, S200)).at(Published),
        row("GET", "/ressources/{id}/modifier", draft(LOGIN, S200)).at(Draft),
        row("GET", "/ressources/{id}/supprimer", published_edit(LOGIN, S200)).at(Published),
        // Timetable.
        row("GET", "/emploi-du-temps", signed_in(LOGIN, S200)),
        row("GET", "/api/v1/timetable", class_week(S401)).at(ClassWeek),
        row("GET", "/emploi-du-temps/gestion", timetable(LOGIN, S200)),
        row("GET", "/api/v1/agenda/ics-url", signed_in(S401, S200)),
        // A calendar address is its own permission; a made-up one opens nothing.
        row("GET", "/agenda/{file}", everyone(S404)).at(UnknownResource),
        row("GET", "/emploi-du-temps/seances/{id}", timetable(LOGIN, S200)).at(Session),
        row("GET", "/emploi-du-temps/seances/{id}", timetable(LOGIN, S404)).at(UnknownResource),
        // Cahier de textes. Its way in depends on the profile.
        row("GET", "/cahier-de-textes", [LOGIN, TODO, TODO, TODO, TODO, SESSIONS, SESSIONS, CLASS_LOGBOOK, CLASS_LOGBOOK, CLASS_LOGBOOK]),
        row("GET", "/cahier-de-textes/a-faire", [LOGIN, S200, S200, S200, S200, S403, S403, S403, S403, S403]),
        row("GET", "/cahier-de-textes/seances", [LOGIN, S403, S403, S403, S403, S200, S200, S403, S403, S403]),
        row("GET", "/cahier-de-textes/seances/{slug}", logbook_read(LOGIN)).at(LogbookSession),
        row("GET", "/cahier-de-textes/seances/{slug}", signed_in(LOGIN, S404)).at(UnknownResource),
        row("GET", "/cahier-de-textes/seances/{slug}/fichiers/{hash}", logbook_read(LOGIN)).at(Attachment),
        row("GET", "/cahier-de-textes/classe", logbook_read(LOGIN)).at(ClassLogbook),
        row("GET", "/api/v1/homework", [S401, S200, S200, S400, S400, S200, S200, S403, S403, S403]).at(HomeworkMonth),
        row("GET", "/api/v1/homework", logbook_read(S401)).at(ClassHomework),
        row("GET", "/cahier-de-textes/devoirs/{id}", homework_read(LOGIN, S200)).at(Homework),
        row("GET", "/cahier-de-textes/devoirs/{id}", signed_in(LOGIN, S404)).at(UnknownResource),
        // Only the pupil who handed it in finds their own file.
        row("GET", "/cahier-de-textes/devoirs/{id}/fichier", [LOGIN, S200, S404, S404, S404, S404, S404, S404, S404, S404]).at(Homework),
        row("GET", "/cahier-de-textes/devoirs/{id}/rendus", hand_ins(LOGIN, S200)).at(Homework),
        row("GET", "/cahier-de-textes/devoirs/{id}/rendus.zip", hand_ins(LOGIN, S200)).at(Homework),
        row("GET", "/cahier-de-textes/devoirs/{id}/rendus/{pupil}", hand_ins(LOGIN, S200)).at(HandInOf),
        // Agenda: everyone keeps one; an event for 4B is seen by those 4B's cahier de textes
        // concerns, and unknown to the others.
        row("GET", "/agenda", signed_in(LOGIN, S200)),
        row("GET", "/agenda/nouvel-evenement", signed_in(LOGIN, S200)),
        row("GET", "/api/v1/agenda/events", signed_in(S401, S200)).at(HomeworkMonth),
        row("GET", "/agenda/evenements/{id}", [LOGIN, S200, S404, S200, S404, S200, S404, S200, S200, S200]).at(Event),
        row("GET", "/agenda/evenements/{id}", signed_in(LOGIN, S404)).at(UnknownResource),
        row("POST", "/agenda/nouvel-evenement", signed_in(LOGIN, S400)).form(&[]),
        // Actualités: everyone reads theirs; teachers, vie scolaire, direction and
        // administrators publish; a 4B item is unknown to those 4B does not concern.
        row("GET", "/actualites", signed_in(LOGIN, S200)),
        row("GET", "/actualites/nouvelle", [LOGIN, S403, S403, S403, S403, S200, S200, S200, S200, S200]),
        row("GET", "/actualites/{id}", [LOGIN, S200, S404, S200, S404, S200, S404, S200, S200, S200]).at(News),
        row("GET", "/actualites/{id}", signed_in(LOGIN, S404)).at(UnknownResource),
        row("GET", "/actualites/{id}/image", [LOGIN, S200, S404, S200, S404, S200, S404, S200, S200, S200]).at(News),
        row("POST", "/actualites/nouvelle", [LOGIN, S403, S403, S403, S403, S400, S400, S400, S400, S400]).multipart(),
        // Messagerie: everyone has one; a message is known only to those who hold it (a copy
        // of their own); the communication rules are the administrator's.
        row("GET", "/messagerie", signed_in(LOGIN, S200)),
        row("GET", "/messagerie/envoyes", signed_in(LOGIN, S200)),
        row("GET", "/messagerie/brouillons", signed_in(LOGIN, S200)),
        row("GET", "/messagerie/corbeille", signed_in(LOGIN, S200)),
        row("GET", "/messagerie/recherche", signed_in(LOGIN, S200)),
        row("GET", "/messagerie/nouveau", signed_in(LOGIN, S200)),
        row("GET", "/messagerie/messages/{id}", HOLDERS).at(Message),
        row("GET", "/messagerie/messages/{id}", signed_in(LOGIN, S404)).at(UnknownResource),
        row("GET", "/messagerie/messages/{id}/pieces-jointes/{index}", HOLDERS).at(MessageAttachment),
        row("GET", "/api/v1/messages", signed_in(S401, S200)),
        row("GET", "/api/v1/messages/recipients", signed_in(S401, S200)),
        row("GET", "/api/v1/messages/{id}", [S401, S404, S404, S200, S404, S200, S404, S404, S404, S404]).at(Message),
        row("GET", "/admin/communication", admin_only(LOGIN, S200)),
        // A message with no recipient is refused whole.
        row("POST", "/messagerie/nouveau", signed_in(LOGIN, S400)).multipart(),
        row("POST", "/api/v1/messages", signed_in(S401, S400)).json("{}"),
        // Marking read or unread, taking out of the trash what is not in it: the holder's own
        // copy, nothing anyone else sees.
        row("POST", "/messagerie/messages/{id}/non-lu", [LOGIN, S404, S404, INBOX, S404, INBOX, S404, S404, S404, S404]).at(Message).form(&[]),
        row("POST", "/messagerie/messages/{id}/restaurer", [LOGIN, S404, S404, S303, S404, S303, S404, S404, S404, S404]).at(Message).form(&[]),
        // Only what is in the trash is deleted for good.
        row("POST", "/messagerie/messages/{id}/supprimer", signed_in(LOGIN, S404)).at(OwnMessage).form(&[]),
        // Writes whose invalid body changes nothing: a copy to no session, a hand-in without
        // its file (anyone but a pupil of 4B is refused before the upload).
        row("POST", "/cahier-de-textes/seances/{slug}/copie", logbook_write(LOGIN, S400)).at(LogbookSession).form(&[("vers", "x")]),
        row("POST", "/cahier-de-textes/devoirs/{id}", [LOGIN, S400, S404, S403, S403, S403, S403, S403, S403, S403]).at(Homework).multipart(),
        // Writes whose invalid body changes nothing.
        row("POST", "/emploi-du-temps/seances/{id}", timetable(LOGIN, S400)).at(Session).form(&[("remplacant", "x")]),
        row("POST", "/emploi-du-temps/cours", timetable(LOGIN, S400)).form(&[]),
        row("POST", "/emploi-du-temps/cours/{id}/supprimer", timetable(LOGIN, S404)).at(UnknownResource).form(&[]),
        row("POST", "/emploi-du-temps/import", timetable(LOGIN, S400)).multipart(),
        row("POST", "/api/v1/session", everyone(S400)).json("{}"),
        row("POST", "/api/v1/me/password", signed_in(S401, S400)).json("{}"),
        row("POST", "/compte/mot-de-passe", signed_in(LOGIN, S400)).form(&[]),
        // An installed box has no installation page: it leads to the sign-in, for everyone.
        row("GET", "/installation", everyone(Expect::SeeOther("/connexion"))),
        row("POST", "/installation", everyone(Expect::SeeOther("/connexion"))).form(&[]),
        // One's own choice only: there is no one else's to reach.
        row("POST", "/compte/notifications", signed_in(LOGIN, Expect::SeeOther("/compte?ok=notifications"))).form(&[]),
        row("POST", "/api/v1/resources", publish(S401, S400)).json("{}"),
        row("PUT", "/api/v1/resources/{id}", published_edit(S401, S400)).at(Published).json("{}"),
        row("PUT", "/api/v1/resources/{id}", draft(S401, S400)).at(Draft).json("{}"),
        row("POST", "/ressources/nouvelle", publish(LOGIN, S422)).multipart(),
        row("POST", "/ressources/{id}/modifier", published_edit(LOGIN, S422)).at(Published).multipart(),
        row("POST", "/ressources/import", publish(LOGIN, S400)).multipart(),
        row("POST", "/admin/annuaire/verifier", admin_only(LOGIN, S400)).multipart(),
        row("POST", "/admin/annuaire/appliquer", admin_only(LOGIN, S404)).form(&[("lot", "")]),
        // eleve.demo is active: no activation code to issue. Printing 4B's sheets issues new
        // codes to its accounts waiting for activation, and it has none.
        row("POST", "/api/v1/admin/accounts/{login}/activation-code", admin_only(S401, S409)).at(PupilLogin),
        row("POST", "/admin/fiches/{class}", admin_only(LOGIN, S200)).at(Class).form(&[]),
        row("POST", "/api/v1/admin/accounts/{login}/reset-password", admin_only(S401, S404)).at(UnknownLogin),
        // Failed sign-ins and activations count against the address (the server is started with
        // limits high enough for the table).
        row("POST", "/connexion", everyone(S401)).form(&[("login", "personne.inconnue"), ("password", "pas le bon")]),
        row("POST", "/activation", everyone(S400)).form(&[]),
        // Writes that act, each on its own object or session (renewing a calendar address
        // changes only the asker's).
        row("POST", "/api/v1/admin/accounts/{login}/reset-password", admin_only(S401, S200)).at(SpareLogin),
        row("DELETE", "/api/v1/resources/{id}", published_edit(S401, S204)).at(OwnResource),
        row("POST", "/ressources/{id}/supprimer", published_edit(LOGIN, LIBRARY)).at(OwnResource).form(&[]),
        row("POST", "/api/v1/agenda/ics-url/revoke", signed_in(S401, S200)),
        // A tick is the pupil's own; taking a visa off an entry that has none changes nothing;
        // saving an empty form empties the spare session.
        row("POST", "/cahier-de-textes/devoirs/{id}/fait", [LOGIN, TODO, S404, S403, S403, S403, S403, S403, S403, S403]).at(Homework).form(&[("fait", "oui")]),
        row("POST", "/cahier-de-textes/seances/{slug}/visa", [LOGIN, S403, S403, S403, S403, S403, S403, S403, S303, S403]).at(LogbookSession).form(&[("vise", "non")]),
        row("POST", "/cahier-de-textes/seances/{slug}", logbook_write(LOGIN, S303)).at(SpareSession).multipart(),
        // Removing a news item: its author (admin.demo) and direction; those who see it are
        // refused.
        row("POST", "/actualites/{id}/supprimer", [LOGIN, S403, S404, S403, S404, S403, S404, S403, NEWS, NEWS]).at(OwnNews).form(&[]),
        // Removing an event: its author (admin.demo) and direction; those who see it are refused.
        row("POST", "/agenda/evenements/{id}/supprimer", [LOGIN, S403, S404, S403, S404, S403, S404, S403, AGENDA, AGENDA]).at(OwnEvent).form(&[]),
        row("POST", "/emploi-du-temps/abonnement", signed_in(LOGIN, Expect::SeeOther("/emploi-du-temps"))).form(&[]),
        // The trash: a holder's copy of a fresh message goes to theirs, and emptying one's
        // trash touches no one else's.
        row("POST", "/messagerie/messages/{id}/corbeille", [LOGIN, S404, S404, INBOX, S404, Expect::SeeOther("/messagerie/envoyes"), S404, S404, S404, S404]).at(OwnMessage).form(&[]),
        row("POST", "/messagerie/corbeille/vider", signed_in(LOGIN, Expect::SeeOther("/messagerie/corbeille"))).form(&[]),
        // Last of the messagerie's rows: the rules as the default ones, so the table leaves
        // them as it found them.
        row("POST", "/admin/communication", admin_only(LOGIN, Expect::SeeOther("/admin/communication?enregistre=1"))).form(DEFAULT_RULES),
        row("POST", "/admin/sauvegardes", admin_only(LOGIN, Expect::SeeOther("/admin/sauvegardes?resultat=ok"))).form(&[]),
        row("DELETE", "/api/v1/session", signed_in(S401, S204)).fresh_session(),
        row("POST", "/deconnexion", everyone(GOODBYE)).fresh_session().form(&[]),
        // CAS logout is a GET (the protocol's): it ends the session like the form above.
        row("GET", "/cas/logout", everyone(GOODBYE)).fresh_session(),
    ]
}

/// A subject's credentials: a bearer token for the API, a cookie client and its CSRF token for
/// the pages.
struct Person {
    subject: Subject,
    login: Option<String>,
    token: Option<String>,
    browser: Client,
    csrf: Option<String>,
}

impl Person {
    fn anonymous(server: &Server) -> Self {
        Self {
            subject: Subject::Anonymous,
            login: None,
            token: None,
            browser: server.browser(),
            csrf: None,
        }
    }

    fn signed_in(server: &Server, subject: Subject, login: &str) -> Self {
        let (token, _, _) = server.api_login(login, DEMO_PASSWORD);
        let browser = server.signed_in_browser(login);
        let csrf = csrf_of(&html_of(&browser, &server.url("/compte")));
        Self {
            subject,
            login: Some(login.to_owned()),
            token: Some(token),
            browser,
            csrf: Some(csrf),
        }
    }

    /// The same person with sessions of their own, for a request that ends its session.
    fn again(&self, server: &Server) -> Self {
        match &self.login {
            Some(login) => Self::signed_in(server, self.subject, login),
            None => Self::anonymous(server),
        }
    }
}

/// The objects the table's parameters name, made or found at the start.
struct Fixtures {
    pupil_id: u64,
    spare_login: String,
    published: u64,
    draft: u64,
    file: u64,
    package: String,
    /// enseignant.demo's token, to make a resource for each deletion.
    author: String,
    session: String,
    logbook: LogbookFixtures,
    event: u64,
    news: u64,
    /// admin.demo's browser, to make an event or a news item for each deletion.
    organiser: Client,
    message: u64,
    /// enseignant.demo's browser, to send a message for each one thrown away.
    writer: Client,
}

/// What the cahier de textes rows name.
struct LogbookFixtures {
    session: String,
    spare: String,
    attachment: String,
    homework: u64,
    pupil_id: u64,
}

const CLASS_WEEK: &str = "from=2026-11-30&to=2026-12-05&class=4B";
const HOMEWORK_MONTH: &str = "from=2026-12-01&to=2026-12-31";

impl Fixtures {
    fn path(&self, server: &Server, row: &Row) -> String {
        let value = match row.at {
            At::Route => return row.route.to_owned(),
            At::Package => return self.package.clone(),
            At::ClassWeek => return format!("{}?{CLASS_WEEK}", row.route),
            At::LogbookSession => self.logbook.session.clone(),
            At::SpareSession => self.logbook.spare.clone(),
            At::Attachment => {
                return format!(
                    "/cahier-de-textes/seances/{}/fichiers/{}",
                    self.logbook.session, self.logbook.attachment
                )
            }
            At::Homework => self.logbook.homework.to_string(),
            At::Event => self.event.to_string(),
            At::OwnEvent => {
                event_for_4b(server, &self.organiser, "Matrice : à supprimer").to_string()
            }
            At::News => self.news.to_string(),
            At::OwnNews => {
                news_for_4b(server, &self.organiser, "Matrice : à retirer", false).to_string()
            }
            At::HandInOf => {
                return format!(
                    "/cahier-de-textes/devoirs/{}/rendus/{}",
                    self.logbook.homework, self.logbook.pupil_id
                )
            }
            At::ClassLogbook => return format!("{}?classe=4B&semaine=2026-11-30", row.route),
            At::HomeworkMonth => return format!("{}?{HOMEWORK_MONTH}", row.route),
            At::ClassHomework => return format!("{}?{HOMEWORK_MONTH}&class=4B", row.route),
            At::Session => self.session.clone(),
            At::ForgedPackage => return forged(&self.package),
            At::Pupil => self.pupil_id.to_string(),
            At::UnknownPerson | At::UnknownResource => "999999999".to_owned(),
            At::PupilLogin => "eleve.demo".to_owned(),
            At::SpareLogin => self.spare_login.clone(),
            At::UnknownLogin => "personne.inconnue".to_owned(),
            At::UnknownBackup => "preau-20260101-000000-manuelle.zip".to_owned(),
            At::Class => "4B".to_owned(),
            At::UnknownClass => "9Z".to_owned(),
            At::Published => self.published.to_string(),
            At::Draft => self.draft.to_string(),
            At::File => self.file.to_string(),
            At::Message => self.message.to_string(),
            At::MessageAttachment => {
                return format!("/messagerie/messages/{}/pieces-jointes/0", self.message)
            }
            At::OwnMessage => {
                message_to_4b_parents(server, &self.writer, "Matrice : à jeter", false).to_string()
            }
            At::OwnResource => {
                publish_link(server, &self.author, "Matrice : à supprimer", true).to_string()
            }
        };
        let start = row.route.find('{').expect("a parameter");
        let end = start + row.route[start..].find('}').expect("its end") + 1;
        format!("{}{value}{}", &row.route[..start], &row.route[end..])
    }
}

/// The package address with one character of its signature changed.
fn forged(address: &str) -> String {
    let token_end = "/paquets/".len()
        + address["/paquets/".len()..]
            .find('/')
            .expect("the token ends");
    let (head, tail) = address.split_at(token_end);
    let last = if head.ends_with('A') { "B" } else { "A" };
    format!("{}{last}{tail}", &head[..head.len() - 1])
}

fn audience_4b() -> Value {
    json!({"to": "targets", "targets": [{"kind": "class", "code": "4B"}]})
}

/// A link published (or drafted) by the owner of `token` to 4B; its id.
fn publish_link(server: &Server, token: &str, title: &str, published: bool) -> u64 {
    let body = json!({
        "title": title,
        "kind": "link",
        "url": "https://example.org/matrice-des-droits",
        "disciplines": ["061300"],
        "levels": ["num-021"],
        "audience": audience_4b(),
        "published": published,
    });
    let response = Client::new()
        .post(server.url("/api/v1/resources"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .expect("request");
    created(response)
}

fn created(response: reqwest::blocking::Response) -> u64 {
    let status = response.status();
    let answer: Value = response.json().unwrap_or(Value::Null);
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    answer["id"].as_u64().expect("id")
}

/// Every account of the admin API's list for `query`, page after page.
fn accounts(server: &Server, admin: &str, query: &str) -> Vec<Value> {
    let mut all = Vec::new();
    for page in 1.. {
        let (status, listed) = server.get_json(
            admin,
            &format!("/api/v1/admin/accounts?{query}&page={page}"),
        );
        assert_eq!(status, StatusCode::OK, "{query}: {listed}");
        let found = listed["accounts"].as_array().cloned().unwrap_or_default();
        if found.is_empty() {
            break;
        }
        all.extend(found);
    }
    all
}

fn login_of(account: &Value) -> String {
    account["login"].as_str().expect("login").to_owned()
}

/// The logins of the subjects the demo generates, in the order of [`SUBJECTS`] (anonymous
/// aside), and eleve.demo's id.
struct Cast {
    logins: Vec<String>,
    pupil_id: u64,
    spare_login: String,
}

fn cast(server: &Server, admin: &str) -> Cast {
    let (_, pupil) = server.get_json(admin, "/api/v1/admin/accounts/eleve.demo");
    let pupil_id = pupil["id"].as_u64().expect("eleve.demo's id");

    // A pupil of 3A with an active parent none of whose children is in 4B.
    let mut other_pupil = None;
    for candidate in accounts(server, admin, "profile=National_ELV&class=3A&state=active") {
        let (_, card) = server.get_json(admin, &format!("/api/v1/people/{}", candidate["id"]));
        let guardians = card["guardians"].as_array().cloned().unwrap_or_default();
        let parent = guardians.iter().find_map(|guardian| {
            let (_, parent) = server.get_json(admin, &format!("/api/v1/people/{}", guardian["id"]));
            let children = parent["children"].as_array().cloned().unwrap_or_default();
            let clear = parent["state"] == "active"
                && parent["login"] != "parent.demo"
                && children.iter().all(|child| child["detail"] != "4e B");
            clear.then(|| login_of(&parent))
        });
        if let Some(parent) = parent {
            other_pupil = Some((login_of(&candidate), parent));
            break;
        }
    }
    let (other_pupil, other_parent) = other_pupil.expect("a pupil of 3A with an active parent");

    // A teacher of neither 4B nor any group of its pupils (the class's members list them all).
    let (_, members) = server.get_json(admin, "/api/v1/classes/4B/members");
    let team: BTreeSet<u64> = members["teachers"]
        .as_array()
        .expect("teachers")
        .iter()
        .filter_map(|teacher| teacher["id"].as_u64())
        .collect();
    let stranger = accounts(server, admin, "profile=National_ENS&state=active")
        .into_iter()
        .find(|teacher| teacher["id"].as_u64().is_some_and(|id| !team.contains(&id)))
        .map(|teacher| login_of(&teacher))
        .expect("a teacher who does not teach 4B");
    let first = |profile: &str| {
        accounts(server, admin, &format!("profile={profile}&state=active"))
            .first()
            .map(login_of)
            .unwrap_or_else(|| panic!("an active {profile}"))
    };
    let spare = accounts(server, admin, "profile=National_ELV&class=5A&state=active")
        .first()
        .map(login_of)
        .expect("a pupil of 5A");
    Cast {
        logins: vec![
            "eleve.demo".to_owned(),
            other_pupil,
            "parent.demo".to_owned(),
            other_parent,
            "enseignant.demo".to_owned(),
            stranger,
            first("National_EVS"),
            first("National_DIR"),
            "admin.demo".to_owned(),
        ],
        pupil_id,
        spare_login: spare,
    }
}

fn fixtures(server: &Server, cast: Cast) -> Fixtures {
    let (author, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let published = publish_link(server, &author, "Matrice : lien publié à la 4e B", true);
    let draft = publish_link(server, &author, "Matrice : brouillon", false);
    let image = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/resources/carte-mentale.png"),
    )
    .expect("fixture");
    let metadata = json!({
        "title": "Matrice : carte mentale publiée à la 4e B",
        "disciplines": ["061300"],
        "levels": ["num-021"],
        "audience": audience_4b(),
    });
    let form = Form::new()
        .text("metadata", metadata.to_string())
        .part("file", Part::bytes(image).file_name("carte.png"));
    let file = created(
        Client::new()
            .post(server.url("/api/v1/resources"))
            .bearer_auth(&author)
            .multipart(form)
            .send()
            .expect("request"),
    );
    // A demo package, opened from its page by a pupil it is meant for.
    let (pupil, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let (_, packages) = server.get_json(&pupil, "/api/v1/resources?kind=package");
    let id = packages["hits"][0]["id"].as_u64().expect("a demo package");
    let page = html_of(
        &server.signed_in_browser("eleve.demo"),
        &server.url(&format!("/ressources/{id}")),
    );
    let start = page.find("/paquets/").expect("the package's address");
    let package = page[start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect::<String>()
        .replace("&amp;", "&");
    let (_, week) = server.get_json(&author, &format!("/api/v1/timetable?{CLASS_WEEK}"));
    let session = week["sessions"][0]["id"]
        .as_str()
        .expect("a session of 4B")
        .to_owned();
    let logbook = logbook_fixtures(server, &author, cast.pupil_id);
    let organiser = server.signed_in_browser("admin.demo");
    let event = event_for_4b(server, &organiser, "Matrice : conseil de classe");
    let news = news_for_4b(server, &organiser, "Matrice : actualité illustrée", true);
    let writer = server.signed_in_browser("enseignant.demo");
    let message = message_to_4b_parents(server, &writer, "Matrice : message joint", true);
    Fixtures {
        message,
        writer,
        news,
        event,
        organiser,
        logbook,
        session,
        pupil_id: cast.pupil_id,
        spare_login: cast.spare_login,
        published,
        draft,
        file,
        package,
        author,
    }
}

/// The default communication rules, as the administrator's form sends them.
const DEFAULT_RULES: &[(&str, &str)] = &[
    ("regle", "eleves:leurs-enseignants"),
    ("regle", "eleves:vie-scolaire"),
    ("regle", "eleves:direction"),
    ("regle", "parents:leurs-enseignants"),
    ("regle", "parents:vie-scolaire"),
    ("regle", "parents:direction"),
    ("regle", "enseignants:enseignants"),
    ("regle", "enseignants:vie-scolaire"),
    ("regle", "enseignants:direction"),
    ("regle", "enseignants:autres-personnels"),
    ("regle", "enseignants:leurs-eleves"),
    ("regle", "enseignants:eleves"),
    ("regle", "enseignants:parents-de-leurs-eleves"),
    ("regle", "enseignants:parents"),
    ("regle", "personnels:enseignants"),
    ("regle", "personnels:vie-scolaire"),
    ("regle", "personnels:direction"),
    ("regle", "personnels:autres-personnels"),
    ("regle", "personnels:eleves"),
    ("regle", "personnels:parents"),
];

/// A message to the parents of 4B sent through the form by the holder of `browser` (with a
/// PDF attached when `attached`); its id.
fn message_to_4b_parents(server: &Server, browser: &Client, subject: &str, attached: bool) -> u64 {
    let csrf = csrf_of(&html_of(browser, &server.url("/messagerie/nouveau")));
    let mut form = Form::new()
        .text("csrf", csrf)
        .text("a", "parents:classe:4B")
        .text("objet", subject.to_owned())
        .text("texte", "Matrice des droits")
        .text("action", "envoyer");
    if attached {
        let pdf = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/resources/fractions.pdf"),
        )
        .expect("fixture");
        form = form.part("fichier", Part::bytes(pdf).file_name("fractions.pdf"));
    }
    let response = browser
        .post(server.url("/messagerie/nouveau"))
        .multipart(form)
        .send()
        .expect("request");
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "the message is sent"
    );
    response
        .headers()
        .get(LOCATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|location| location.rsplit('/').next())
        .and_then(|id| id.parse().ok())
        .expect("its address")
}

/// A news item for 4B published through the form by the holder of `browser` (with the mind
/// map as its picture when `picture`); its id.
fn news_for_4b(server: &Server, browser: &Client, title: &str, picture: bool) -> u64 {
    let csrf = csrf_of(&html_of(browser, &server.url("/actualites/nouvelle")));
    let mut form = Form::new()
        .text("csrf", csrf)
        .text("titre", title.to_owned())
        .text("texte", "Matrice des droits")
        .text("public", "classe:4B")
        .text("du", "2026-01-01");
    if picture {
        let image = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/resources/carte-mentale.png"),
        )
        .expect("fixture");
        form = form.part("fichier", Part::bytes(image).file_name("carte.png"));
    }
    let response = browser
        .post(server.url("/actualites/nouvelle"))
        .multipart(form)
        .send()
        .expect("request");
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "the item is published"
    );
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|value| value.to_str().ok())
        .expect("its address");
    location
        .trim_start_matches("/actualites/")
        .parse()
        .expect("its id")
}

/// An event for 4B added through the form by the holder of `browser`; its id.
fn event_for_4b(server: &Server, browser: &Client, title: &str) -> u64 {
    let csrf = csrf_of(&html_of(browser, &server.url("/agenda/nouvel-evenement")));
    let response = browser
        .post(server.url("/agenda/nouvel-evenement"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("titre", title),
            ("nature", "class_council"),
            ("public", "classe:4B"),
            ("debut", "2026-12-08"),
            ("heure_debut", "17:30"),
            ("heure_fin", "19:00"),
        ])
        .send()
        .expect("request");
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "the event is added"
    );
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|value| value.to_str().ok())
        .expect("its address");
    location
        .trim_start_matches("/agenda/evenements/")
        .parse()
        .expect("its id")
}

/// enseignant.demo fills a maths session of 4B with a document and a homework to hand in, and
/// eleve.demo hands it in.
fn logbook_fixtures(server: &Server, author: &str, pupil_id: u64) -> LogbookFixtures {
    let (_, week) = server.get_json(author, "/api/v1/timetable?from=2026-11-30&to=2026-12-05");
    let mut sessions = week["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .filter(|s| s["target"]["code"] == "4B" && s["subject"]["code"] == "061300")
        .filter_map(|s| s["id"].as_str().map(str::to_owned));
    let session = sessions.next().expect("a maths session of 4B");
    let spare = sessions.next().expect("another one");
    let teacher = server.signed_in_browser("enseignant.demo");
    let address = server.url(&format!("/cahier-de-textes/seances/{session}"));
    let csrf = csrf_of(&html_of(&teacher, &address));
    let form = Form::new()
        .text("csrf", csrf)
        .text("contenu", "Matrice : séance remplie")
        .text("devoir", "")
        .text("description", "Matrice : exercice à rendre")
        .text("pour", "")
        .text("nature", "exercise")
        .text("minutes", "20")
        .text("rendu", "oui")
        .part(
            "fichier",
            Part::bytes(b"Consignes".to_vec()).file_name("consignes.txt"),
        );
    let saved = teacher
        .post(&address)
        .multipart(form)
        .send()
        .expect("request");
    assert_eq!(saved.status(), StatusCode::SEE_OTHER, "the entry is saved");
    let page = html_of(&teacher, &address);
    let find = |marker: &str, end: char| {
        let start = page.find(marker).expect(marker) + marker.len();
        page[start..]
            .chars()
            .take_while(|c| *c != end)
            .collect::<String>()
    };
    let homework: u64 = find("/cahier-de-textes/devoirs/", '/')
        .parse()
        .expect("the homework's id");
    let attachment = find("/fichiers/", '"');
    let pupil = server.signed_in_browser("eleve.demo");
    let hand_in = server.url(&format!("/cahier-de-textes/devoirs/{homework}"));
    let csrf = csrf_of(&html_of(&pupil, &hand_in));
    let form = Form::new().text("csrf", csrf).part(
        "fichier",
        Part::bytes(b"Ma copie".to_vec()).file_name("copie.txt"),
    );
    let handed = pupil
        .post(&hand_in)
        .multipart(form)
        .send()
        .expect("request");
    assert_eq!(
        handed.status(),
        StatusCode::SEE_OTHER,
        "the hand-in is received"
    );
    LogbookFixtures {
        session,
        spare,
        attachment,
        homework,
        pupil_id,
    }
}

fn ask(server: &Server, api: &Client, row: &Row, person: &Person, path: &str) -> Got {
    let method = Method::from_bytes(row.method.as_bytes()).expect("a method");
    let writes = method != Method::GET;
    let url = server.url(path);
    let mut request = if row.is_api() {
        let request = api.request(method, &url);
        match &person.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    } else {
        let request = person.browser.request(method, &url);
        match (&person.csrf, writes) {
            (Some(csrf), true) => request.header("x-csrf-token", csrf),
            _ => request,
        }
    };
    request = match row.body {
        Body::Empty => request,
        Body::Json(json) => request.header(CONTENT_TYPE, "application/json").body(json),
        Body::Form(fields) => request.form(fields),
        Body::Multipart => request.multipart(Form::new().text("note", "matrice")),
    };
    Got::of(request.send().expect("request"))
}

#[test]
fn each_subject_gets_the_status_of_its_column_of_the_matrix() {
    // Failed sign-ins and activations are part of the table: the limits must not turn them
    // into 429 for the subjects that come after.
    let server = Server::demo_with(&[
        ("PREAU_SECURITY_LOGIN_FAILURES_PER_ACCOUNT", "1000"),
        ("PREAU_SECURITY_LOGIN_FAILURES_PER_ADDRESS", "1000"),
    ]);
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let cast = cast(&server, &admin);
    let mut people = vec![Person::anonymous(&server)];
    for (subject, login) in SUBJECTS[1..].iter().zip(&cast.logins) {
        println!("{:<24} {login}", subject.label());
        people.push(Person::signed_in(&server, *subject, login));
    }
    let fixtures = fixtures(&server, cast);
    let api = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");

    let rows = matrix();
    println!("{} rows × {} subjects", rows.len(), SUBJECTS.len());
    let mut mismatches = Vec::new();
    for row in &rows {
        for (person, expect) in people.iter().zip(row.expect) {
            let fresh;
            let person = if row.fresh_session {
                fresh = person.again(&server);
                &fresh
            } else {
                person
            };
            let path = fixtures.path(&server, row);
            let got = ask(&server, &api, row, person, &path);
            if !expect.holds(&got, row.refusal()) {
                mismatches.push([
                    row.method.to_owned(),
                    row.route.to_owned(),
                    format!("{:?}", row.at),
                    person.subject.label().to_owned(),
                    expect.describe(),
                    got.describe(),
                ]);
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} answers differ from the matrix:\n{}",
        mismatches.len(),
        rows.len() * SUBJECTS.len(),
        table(
            &["method", "route", "object", "subject", "expected", "got"],
            &mismatches
        )
    );
}

/// Lines of aligned columns under a heading.
fn table(heading: &[&str; 6], lines: &[[String; 6]]) -> String {
    let heading = heading.map(str::to_owned);
    let width = |column: usize| {
        std::iter::once(&heading)
            .chain(lines)
            .map(|line| line[column].chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..6).map(width).collect();
    std::iter::once(&heading)
        .chain(lines)
        .map(|line| {
            let cells: Vec<String> = line
                .iter()
                .zip(&widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect();
            cells.join("  ").trim_end().to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_route_of_the_router_has_a_row() {
    let registered: BTreeSet<(String, String)> =
        preau_tests::router_source::routes().into_iter().collect();
    let table: BTreeSet<(String, String)> = matrix()
        .iter()
        .map(|row| (row.method.to_owned(), row.route.to_owned()))
        .collect();
    let missing: Vec<String> = registered
        .difference(&table)
        .map(|(method, route)| format!("  {method} {route}"))
        .collect();
    let gone: Vec<String> = table
        .difference(&registered)
        .map(|(method, route)| format!("  {method} {route}"))
        .collect();
    assert!(
        missing.is_empty() && gone.is_empty(),
        "routes of the router without a row in the matrix:\n{}\nrows of the matrix whose route the router no longer has:\n{}",
        missing.join("\n"),
        gone.join("\n")
    );
}
