/// The briefing `briefd demo` uses (written for BriefSync in the shape analysts paste in).
enum DemoBriefing {
    static let title = "US–China defence talks in Kuala Lumpur"

    static let text = """
        Setting the Scene
        On 31 October, at the margins of the ASEAN Defence Ministers' Meeting in Kuala Lumpur, the U.S. Secretary of Defense met China's Defence Minister for face-to-face talks.
        Both sides described the meeting as constructive while restating their core interests.
        Key Topics
        Maritime activity in the South China Sea and around the Taiwan Strait dominated the agenda.
        Both sides stressed the value of military-to-military communication to avoid miscalculation.
        Why This Meeting Matters
        After years of strained ties, the meeting signals a cautious reopening of senior-level engagement. By meeting, both sides show they are willing to keep a channel open to manage risk.
        What to Watch Next
        - Follow-up working-level talks.
        - Any incident around Taiwan or the South China Sea.
        """

    static let aliceKeyTopics = """
        Maritime activity in the South China Sea and around the Taiwan Strait dominated the agenda.
        Both sides stressed the value of military-to-military communication to avoid miscalculation.
        Regional partners were briefed separately afterwards.
        """

    static let bobKeyTopics = """
        Maritime and air activity in the South China Sea and around the Taiwan Strait dominated the agenda.
        Both sides stressed the value of military-to-military communication to avoid miscalculation.
        """

    static let aliceWatch = """
        - Follow-up working-level talks in December.
        - Any incident around Taiwan or the South China Sea.
        """

    static let bobWatch = """
        - Follow-up working-level talks in Beijing.
        - Any incident around Taiwan or the South China Sea.
        - A possible crisis hotline announcement.
        """

    static let resolvedWatch = """
        - Follow-up working-level talks in Beijing in December.
        - Any incident around Taiwan or the South China Sea.
        - A possible crisis hotline announcement.
        """
}
