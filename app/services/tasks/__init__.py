"""Tasks of the plans (nhiệm vụ trọng tâm): the task records and their filters (`records`),
the rules of status and progress (`rules`), progress reports (`reports`), the calendar feed
(`calendar`), counts (`counts`) and exports (`export`)."""
