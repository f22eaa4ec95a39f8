/// Sample briefings in the shapes the importer must handle, written for the tests.
public enum Samples {
    /// Plain text: title line, headings without punctuation, paragraphs, a bullet list.
    public static let plain = """
        Grain Corridor Talks Resume
        Setting the Scene
        On 3 March, negotiators met in Istanbul to restart the Black Sea grain corridor. Both delegations described the first session as workmanlike.
        Shipping insurers have asked for written guarantees before they resume cover.
        Key Topics
        Inspection regimes remain the main sticking point. Each side wants joint inspection teams in its own ports.
        What to Watch Next
        - Whether insurers resume cover by April.
        - A second round of talks in Geneva.
        - Inspection teams agreed in principle.
        """

    /// Markdown with `#` headings and a bullet list.
    public static let markdown = """
        # Semiconductor Export Controls

        ## Summary

        New export rules tighten licensing for advanced chips. Vendors expect delays.

        ## Key Topics

        * Licensing thresholds move from 4800 TOPS to 2400 TOPS.
        * Cloud access is covered for the first time.

        ## What to Watch Next

        Whether allies align their own rules within six months.
        """

    /// No headings at all: one section.
    public static let noHeadings = """
        Quick note on the ministerial.
        The ministers met for forty minutes and agreed to meet again in the spring.
        No joint statement was issued.
        """

    /// Unicode: accents, combining marks, CJK and emoji; a CRLF line ending is added by tests.
    public static let unicode = """
        Café Diplomacy: 北京 and Zürich
        Overview
        The délégation met in Zürich; the second round moves to 北京 next month 🌏.
        Combining marks: e\u{301}te\u{301} survives as written.
        Risks
        Emoji in notes 👩🏽‍💻 must keep their code-point offsets.
        """
}
